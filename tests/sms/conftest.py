from tests.sms.fake_providers import providers

__all__ = ["providers"]
