// The app's words in the shopper's language. The strings come from the same compiled catalogue as the pages
// (GET /app/messages/<code>.json, cached with the shell, so a language works offline). Write every string a
// person reads as t("English text, {name} for a value", { name }) or, with a count,
// tn("{n} report", "{n} reports", n); `flask --app wsgi translations update` then finds it (README, "Languages").
export const LANGUAGES = { en: "English", cy: "Cymraeg" };
const LOCALES = { en: "en-GB", cy: "cy-GB" };
const ENGLISH = { language: "en", plural_categories: ["one", "other"], messages: {} };

let catalogue = ENGLISH;
let plurals = new Intl.PluralRules(LOCALES.en);
const loaded = { en: ENGLISH };

export const language = () => catalogue.language;
// For dates, times and numbers (Intl) and <html lang>.
export const locale = () => LOCALES[catalogue.language];

// The first of the user's setting and the phone's languages that the app speaks; English otherwise.
export function choose(setting) {
  const wanted = [setting, ...(navigator.languages || [navigator.language])].filter(Boolean);
  return wanted.map((tag) => String(tag).toLowerCase().split("-")[0]).find((code) => code in LANGUAGES) || "en";
}

// Load a language's catalogue (from the shell cache when offline). A catalogue that cannot be had leaves the
// app in the language it is in, never without words.
export async function use(code) {
  if (!(code in LANGUAGES) || code === catalogue.language) return;
  const next = await preload(code);
  if (!next) return;
  catalogue = next;
  plurals = new Intl.PluralRules(LOCALES[code]);
  document.documentElement.lang = LOCALES[code];
}

// A language's catalogue, fetched once; null when it cannot be had.
export async function preload(code) {
  if (loaded[code]) return loaded[code];
  try {
    const response = await fetch(`/app/messages/${code}.json`);
    if (!response.ok) return null;
    loaded[code] = await response.json();
  } catch {
    return null;
  }
  return loaded[code];
}

const fill = (text, values) =>
  values ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole)) : text;

export function t(message, values) {
  const translated = catalogue.messages[message];
  return fill(typeof translated === "string" && translated ? translated : message, values);
}

export function tn(singular, plural, n, values) {
  const forms = catalogue.messages[singular];
  let text = null;
  if (Array.isArray(forms)) text = forms[catalogue.plural_categories.indexOf(plurals.select(n))] || null;
  return fill(text || (n === 1 ? singular : plural), { n, ...values });
}

// A message in a given language, whatever the app's (an exit interview in the resident's language); that
// language's catalogue must have been preloaded, else the app's language is used.
export function tFor(code, message, values) {
  const translated = code ? loaded[code]?.messages[message] : undefined;
  return typeof translated === "string" && translated ? fill(translated, values) : t(message, values);
}
