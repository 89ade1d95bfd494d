"""The embedded setup's console mail: one readable line per message instead of the MIME text,
whose Chinese subject and body the console backend prints base64-encoded."""

import re
import textwrap

from django.core.mail.backends import console

LINK = re.compile(r"https?://\S+")


class ConsoleSummaryBackend(console.EmailBackend):
    """Prints who the message is for, its subject, its first line shortened, every link in it (a
    password-reset link must stay usable in the demo) and how many files it carries."""

    def write_message(self, message):
        body = message.body or ""
        first_line = next((line.strip() for line in body.splitlines() if line.strip()), "")
        parts = [f"Mail to {', '.join(message.to)}: {message.subject}"]
        if first_line:
            parts.append(textwrap.shorten(first_line, width=60, placeholder="…"))
        parts.extend(LINK.findall(body))
        if message.attachments:
            parts.append(f"[{len(message.attachments)} attachment(s)]")
        self.stream.write(" | ".join(parts) + "\n")
