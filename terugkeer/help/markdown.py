"""A small Markdown subset for the user guides in docs/guide/, rendered to safe HTML.

The guides are plain Markdown files (readable on GitHub and in the repository) and the same
files are the in-app "Hulp" pages. No Markdown library is a runtime dependency of Terugkeer,
so this renders only what the guides use: headings (#, ##, ###), paragraphs, lists (- and
1.), **bold**, `code`, [links](url) and screenshots on a line of their own
(`![alt](img/name.png)`). Everything is escaped first; links to other guides
(`terugkeercoach.md`) become links to their in-app page, screenshots in img/ their static URL.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.text import slugify

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_GUIDE_LINK = re.compile(r"^([a-z-]+)\.md$")
_IMAGE = re.compile(r"^!\[([^\]]+)\]\(img/([a-z0-9-]+\.png)\)$")


def heading_id(text: str) -> str:
    """The anchor of a heading ("Een traject opvolgen" -> "een-traject-opvolgen"): the in-app
    "Hoe werkt dit?" links point at the section about their page."""
    return slugify(text)


def _inline(text: str, link_for_guide) -> str:
    html = escape(text)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"`(.+?)`", r"<code>\1</code>", html)

    def link(match: re.Match) -> str:
        label, href = match.group(1), match.group(2)
        guide = _GUIDE_LINK.match(href)
        if guide:
            href = link_for_guide(guide.group(1))
        elif not href.startswith(("/", "https://", "http://", "#")):
            return label  # a path inside the repository: no page in the app
        return f'<a href="{href}">{label}</a>'

    return _LINK.sub(link, html)


def render(
    source: str,
    *,
    link_for_guide=lambda slug: f"{slug}.md",
    url_for_image=lambda name: f"img/{name}",
) -> str:
    """The guide as HTML (the first heading included: the page uses it as its title)."""
    out: list[str] = []
    paragraph: list[str] = []
    list_tag: str | None = None

    def flush_paragraph() -> None:
        if paragraph:
            out.append(f"<p>{_inline(' '.join(paragraph), link_for_guide)}</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            out.append(f"</{list_tag}>")
            list_tag = None

    for raw in source.splitlines():
        line = raw.rstrip()
        heading = re.match(r"^(#{1,3}) (.+)$", line)
        item = re.match(r"^(?:- |\d+\. )(.+)$", line)
        image = _IMAGE.match(line)
        if image:
            flush_paragraph()
            close_list()
            alt, src = escape(image.group(1)), escape(url_for_image(image.group(2)))
            # Linked to the file itself: the guide's column is narrow, the screenshot is not.
            out.append(f'<p><a href="{src}"><img src="{src}" alt="{alt}"></a></p>')
        elif heading:
            flush_paragraph()
            close_list()
            level = len(heading.group(1))
            text = heading.group(2)
            anchor = f' id="{heading_id(text)}"' if level > 1 else ""
            out.append(f"<h{level}{anchor}>{_inline(text, link_for_guide)}</h{level}>")
        elif item:
            flush_paragraph()
            tag = "ol" if line[0].isdigit() else "ul"
            if list_tag != tag:
                close_list()
                out.append(f"<{tag}>")
                list_tag = tag
            out.append(f"<li>{_inline(item.group(1), link_for_guide)}</li>")
        elif not line:
            flush_paragraph()
            close_list()
        elif list_tag and raw.startswith("  "):
            more = _inline(line.strip(), link_for_guide)
            out[-1] = out[-1][: -len("</li>")] + " " + more + "</li>"
        else:
            close_list()
            paragraph.append(line.strip())
    flush_paragraph()
    close_list()
    return "\n".join(out)
