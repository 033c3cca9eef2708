/* Previews of linked notes, for readers whose browser runs scripts: hovering or focusing a link to another
   note of the same site shows that note's title, growth stage and summary under the link, read from the
   note's own page. Escape or moving away closes it. Without this file every link is a plain link. */
(() => {
  "use strict";
  const notes = new Map(); // address -> promise of what its preview shows, or null for a page that is no note
  const box = document.createElement("div");
  box.className = "preview";
  box.id = "note-preview";
  box.setAttribute("role", "tooltip");
  box.hidden = true;
  document.body.append(box);
  let link = null;
  let timer = 0;

  function target(node) {
    const a = node instanceof Element ? node.closest(".note .e-content a[href], [data-preview] a[href]") : null;
    if (!(a instanceof HTMLAnchorElement) || a.origin !== location.origin || a.pathname === location.pathname) return null;
    return /\.(xml|json|txt|png|jpe?g|gif|svg|webp|avif|pdf)$/i.test(a.pathname) ? null : a;
  }

  function read(html) {
    const note = html && new DOMParser().parseFromString(html, "text/html").querySelector("article.entry");
    if (!note) return null;
    const summary = note.querySelector(".p-summary");
    const first = note.querySelector(".e-content p");
    const stage = note.querySelector("header .stage");
    const text = summary ? summary.getAttribute("value") : first ? first.textContent.trim() : "";
    return {
      title: (note.querySelector("h1") || {}).textContent || "",
      stage: stage && /^(seedling|budding|evergreen)$/.test(stage.textContent.trim()) ? stage.textContent.trim() : "",
      text: text.length > 280 ? text.slice(0, 279).trimEnd() + "…" : text,
    };
  }

  function load(url) {
    if (!notes.has(url)) {
      notes.set(url, fetch(url)
        .then((r) => (r.ok && /html/.test(r.headers.get("content-type") || "") ? r.text() : ""))
        .then(read, () => null));
    }
    return notes.get(url);
  }

  function element(tag, text, className) {
    const e = document.createElement(tag);
    e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function show(a) {
    link = a;
    load(a.href.split("#")[0]).then((note) => {
      if (link !== a) return;
      if (!note) return hide();
      const parts = [element("strong", note.title.trim())];
      if (note.stage) parts.push(" ", element("span", note.stage, "stage stage-" + note.stage));
      if (note.text) parts.push(element("p", note.text));
      box.replaceChildren(...parts);
      box.hidden = false;
      const r = a.getBoundingClientRect();
      const room = document.documentElement.clientWidth - box.offsetWidth - 8;
      box.style.left = Math.max(8, Math.min(r.left, room)) + window.scrollX + "px";
      box.style.top = r.bottom + window.scrollY + 6 + "px";
      a.setAttribute("aria-describedby", box.id);
    });
  }

  function hide() {
    clearTimeout(timer);
    if (link) link.removeAttribute("aria-describedby");
    link = null;
    box.hidden = true;
  }

  // The pointer may move from the link onto its preview (to select its text) without closing it.
  document.addEventListener("mouseover", (e) => {
    if (box.contains(e.target)) return clearTimeout(timer);
    const a = target(e.target);
    if (!a) return;
    clearTimeout(timer);
    if (a !== link) timer = setTimeout(() => show(a), 150);
  });
  document.addEventListener("mouseout", (e) => {
    const from = target(e.target) || (box.contains(e.target) ? box : null);
    const to = e.relatedTarget;
    if (!from || (to instanceof Node && (box.contains(to) || from.contains(to)))) return;
    clearTimeout(timer);
    timer = setTimeout(hide, 300);
  });
  document.addEventListener("focusin", (e) => {
    const a = target(e.target);
    if (a) {
      clearTimeout(timer);
      show(a);
    }
  });
  document.addEventListener("focusout", (e) => {
    if (link && e.target === link) hide();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !box.hidden) hide();
  });
})();
