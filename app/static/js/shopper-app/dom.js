// Tiny DOM helpers: views are built with h() so that no HTML string (and no inline script) is ever parsed.
import { locale, t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name in el && typeof value !== "string") el[name] = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let uid = 0;
export const nextId = (prefix = "f") => `${prefix}-${++uid}`;

let quiet = false;
// Redraw the view without moving focus (a refresh of what is shown, not a new view).
export async function quietly(fn) {
  quiet = true;
  try { await fn(); } finally { quiet = false; }
}

// Replace the main view; move focus to its heading so screen-reader users hear the change.
export function show(...children) {
  const main = document.getElementById("main");
  // An absent part (null, undefined, false) is left out, as h() does: never the word "null" on the page.
  main.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  const heading = main.querySelector("h1");
  if (heading && !quiet) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: false });
  }
}

export function alertBox(message, kind = "error", ...extra) {
  return h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, h("p", {}, message), ...extra);
}

export function field(label, input, hint) {
  const id = input.id || (input.id = nextId());
  const hintId = hint ? id + "-hint" : null;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id }, label), hint ? h("p", { class: "hint", id: hintId }, hint) : null, input);
}

// `data`: the file's text, or a value to write as JSON.
export function download(filename, data) {
  const text = typeof data === "string" ? data : JSON.stringify(data, null, 2);
  const blob = new Blob([text], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// A time as the shopper reads it; a brief's window in its programme's time zone (the building's clock),
// whatever zone the phone is set to. A zone this browser does not know falls back to the phone's.
export function when(iso, timeZone) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const style = { dateStyle: "medium", timeStyle: "short" };
  try {
    return date.toLocaleString(locale(), timeZone ? { ...style, timeZone } : style);
  } catch {
    return date.toLocaleString(locale(), style);
  }
}

const phoneZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

// "10:00 – 12:00", and the zone named when the phone is set to another one.
export const windowText = (brief) => `${when(brief.window_starts_at, brief.timezone)} – ${when(brief.window_ends_at, brief.timezone)}`
  + (brief.timezone && brief.timezone !== phoneZone() ? " " + t("({zone} time)", { zone: brief.timezone }) : "");
