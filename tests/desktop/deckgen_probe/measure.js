// What the reviewer's page shows, measured in the page (deckgen_probe evaluates this).
(() => {
  const page = document.documentElement, qa = document.getElementById("qa");
  const name = (el) =>
    el.tagName.toLowerCase() + [...el.classList].map((c) => "." + c).join("") +
    (el.getAttribute("display") === "true" ? "[display]" : "");
  // Inside a box that clips or scrolls, an element may reach past the window: the box is
  // measured instead.
  const inside_a_box = (el) => {
    for (let up = el.parentElement; up && up !== qa; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== "visible") return true;
    return false;
  };
  const out = {
    body: document.body.className,
    window: [innerWidth, innerHeight],
    viewport: [page.clientWidth, page.clientHeight],
    page_scroll: [page.scrollWidth, page.scrollHeight],
    content_bottom: 0,
    needed_height: 0,
    sticking_out: [],
    scrollers: [],
    text: {},
    broken_fonts: [...document.fonts].filter((f) => f.status === "error").map((f) => f.family),
    broken_images: [...qa.querySelectorAll("img")].filter((i) => !i.naturalWidth).map((i) => i.src),
  };
  // The page needs to reach the last element (and its margin), and the card's padding below.
  const below = ["paddingBottom", "borderBottomWidth", "marginBottom"].map(
    (p) => parseFloat(getComputedStyle(document.body)[p]));
  out.content_bottom = Math.ceil(qa.getBoundingClientRect().top + scrollY);
  for (const el of qa.querySelectorAll("*")) {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!box.width && !box.height) continue;
    const bottom = box.bottom + scrollY + parseFloat(style.marginBottom);
    out.content_bottom = Math.max(out.content_bottom, Math.ceil(bottom));
    if ((box.right > page.clientWidth + 0.5 || box.left < -0.5) && !inside_a_box(el))
      out.sticking_out.push([name(el), Math.round(box.left), Math.round(box.right)]);
    // A box that can show a scroll bar (MathJax's own boxes clip: they never scroll).
    if (/auto|scroll/.test(style.overflowX + style.overflowY))
      out.scrollers.push({
        element: name(el),
        overflow: [style.overflowX, style.overflowY],
        client: [el.clientWidth, el.clientHeight],
        scroll: [el.scrollWidth, el.scrollHeight],
      });
  }
  out.needed_height = out.content_bottom + Math.ceil(below.reduce((a, b) => a + b));
  // Each kind of text: its colour, what is behind it, its size; how far it sits from the
  // element before it, and the rule above it.
  const behind = (el) => {
    for (let up = el; up; up = up.parentElement) {
      const colour = getComputedStyle(up).backgroundColor;
      if (colour !== "transparent" && !/, 0\)$/.test(colour)) return colour;
    }
    return null;
  };
  for (const kind of ["prompt", "answer", "context", "hint", "source", "course-header",
                      "course-footer", "cloze"]) {
    const el = qa.querySelector("." + kind);
    if (!el || !el.getBoundingClientRect().height) continue;
    const style = getComputedStyle(el), before = el.previousElementSibling;
    out.text[kind] = {
      colour: style.color,
      background: behind(el),
      font_size: parseFloat(style.fontSize),
      gap_above: before ? el.getBoundingClientRect().top - before.getBoundingClientRect().bottom : null,
      rule_above: parseFloat(style.borderTopWidth),
      rule_below: parseFloat(style.borderBottomWidth),
    };
  }
  return out;
})()
