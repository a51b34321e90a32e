# ruff: noqa: E501
"""Master.csv lines copied verbatim from the sandbox Asterisk 22.10.1 (real SIP calls placed
with SipCaller / sipp, 2026-11-23; cdr.conf as in asterisk-conf/)."""

from __future__ import annotations

# Agent down, mobile (sipp UAS behind the trunk) answered 486 Busy -> voicemail.
BUSY_THEN_VOICEMAIL = [
    '"","0655555551","s","decroche-fallback",""""" <0655555551>","PJSIP/caller-00000000","PJSIP/trunk-00000001","Dial","PJSIP/+33612345678@trunk,25","2026-11-23 13:36:29",,"2026-11-23 13:36:29",0,0,"BUSY","DOCUMENTATION","1795440989.0","decroche-fallback"\n',
    '"","0655555551","s","decroche-fallback",""""" <0655555551>","PJSIP/caller-00000000","","VoiceMail","100@decroche,u","2026-11-23 13:36:29","2026-11-23 13:36:29","2026-11-23 13:36:32",3,3,"ANSWERED","DOCUMENTATION","1795440989.0","decroche-fallback"\n',
]
# Agent down, mobile answered (sipp -sn uas).
MOBILE_ANSWERED = [
    '"","0655555553","s","decroche-fallback",""""" <0655555553>","PJSIP/caller-00000002","PJSIP/trunk-00000003","Dial","PJSIP/+33612345678@trunk,25","2026-11-23 13:36:36","2026-11-23 13:36:36","2026-11-23 13:36:37",1,1,"ANSWERED","DOCUMENTATION","1795440996.2","decroche-fallback"\n',
]
# Agent down, nothing listening for the mobile: rang out after 25 s -> voicemail.
NO_ANSWER_THEN_VOICEMAIL = [
    '"","0655555552","s","decroche-fallback",""""" <0655555552>","PJSIP/caller-00000004","PJSIP/trunk-00000005","Dial","PJSIP/+33612345678@trunk,25","2026-11-23 13:36:44",,"2026-11-23 13:37:09",25,0,"NO ANSWER","DOCUMENTATION","1795441004.4","decroche-fallback"\n',
    '"","0655555552","s","decroche-fallback",""""" <0655555552>","PJSIP/caller-00000004","","VoiceMail","100@decroche,u","2026-11-23 13:37:09","2026-11-23 13:37:09","2026-11-23 13:37:12",3,3,"ANSWERED","DOCUMENTATION","1795441004.4","decroche-fallback"\n',
]
# Agent down, a landline caller (04...), mobile busy -> voicemail.
LANDLINE_BUSY = [
    '"","0455555554","s","decroche-fallback",""""" <0455555554>","PJSIP/caller-00000006","PJSIP/trunk-00000007","Dial","PJSIP/+33612345678@trunk,25","2026-11-23 13:37:15",,"2026-11-23 13:37:15",0,0,"BUSY","DOCUMENTATION","1795441035.6","decroche-fallback"\n',
    '"","0455555554","s","decroche-fallback",""""" <0455555554>","PJSIP/caller-00000006","","VoiceMail","100@decroche,u","2026-11-23 13:37:15","2026-11-23 13:37:15","2026-11-23 13:37:16",1,1,"ANSWERED","DOCUMENTATION","1795441035.6","decroche-fallback"\n',
]
# Agent down, the caller (sipp UAC) sent CANCEL after 3 s while the mobile rang: no voicemail.
CALLER_GAVE_UP_RINGING = [
    '"","0655555555","s","decroche-fallback",""""" <0655555555>","PJSIP/caller-00000008","PJSIP/trunk-00000009","Dial","PJSIP/+33612345678@trunk,25","2026-11-23 13:37:34",,"2026-11-23 13:37:37",3,0,"NO ANSWER","DOCUMENTATION","1795441054.8","decroche-fallback"\n',
]
# Agent up: the caller's leg in Stasis, then the externalMedia channel's own record.
AGENT_TOOK_IT = [
    '"","0633333333","s","decroche-inbound",""""" <0633333333>","PJSIP/caller-00000000","UnicastRTP/127.0.0.1:55544-0x7fd028005a50","Stasis","decroche","2026-11-23 13:34:22","2026-11-23 13:34:22","2026-11-23 13:34:25",3,3,"ANSWERED","DOCUMENTATION","1795440862.0","decroche-inbound"\n',
    '"","","s","default",""""" <>","UnicastRTP/127.0.0.1:55544-0x7fd028005a50","","Stasis","decroche","2026-11-23 13:34:22","2026-11-23 13:34:22","2026-11-23 13:34:22",0,0,"ANSWERED","DOCUMENTATION","1795440862.0-media",""\n',
]
# Agent up, the test caller's From display name in clid (src is the From user).
NAMED_CLID = '"","caller","s","decroche-inbound","""0612345678"" <caller>","PJSIP/caller-00000000","UnicastRTP/127.0.0.1:41823-0x563a89d03d80","Stasis","decroche","2026-11-23 13:01:55","2026-11-23 13:01:55","2026-11-23 13:01:59",4,4,"ANSWERED","DOCUMENTATION","1795438915.0","decroche-inbound"\n'
