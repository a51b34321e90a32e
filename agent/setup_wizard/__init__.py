"""`decroche init`: the first config of a business, asked and checked answer by answer."""
