"""Mask personal data before it reaches a log."""
import logging
import re

_MOBILE = re.compile(r"(?<!\d)(\+?86[- ]?)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_mobile(text):
    """138****5678: keeps enough to recognise, not enough to call."""
    if text is None:
        return None
    return _MOBILE.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(4), str(text))


class MaskingFilter(logging.Filter):
    """A logging filter that masks mobile numbers in every record."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is
            return True
        masked = mask_mobile(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install():
    """Mask mobiles on every handler of the root logger (called at service start)."""
    root = logging.getLogger()
    flt = MaskingFilter()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(flt)
    if not any(isinstance(f, MaskingFilter) for f in root.filters):
        root.addFilter(flt)
