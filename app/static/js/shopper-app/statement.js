// The confidentiality statement as the coordinator wrote it, in headed paragraphs: blocks are separated by a blank
// line; a short line on its own without a full stop is a heading; lines starting "1." or "-" are a list; the
// lines of a paragraph are joined. The same reading as the web page's (app/accounts/statement.py).
import { h } from "./dom.js";

const ITEM = /^\s*(\d+[.)]|[-*•])\s+/;

export function statementBlocks(text) {
  return String(text || "").replace(/\r\n?/g, "\n").split(/\n\s*\n/).map((block) => block.trim()).filter(Boolean)
    .map((block) => {
      const lines = block.split("\n").map((line) => line.trim());
      if (lines.length === 1 && lines[0].length <= 90 && !/[.,;:!?]$/.test(lines[0])) return h("h2", {}, lines[0]);
      if (ITEM.test(lines[0])) {
        const items = [];
        for (const line of lines) {
          if (ITEM.test(line) || !items.length) items.push(line.replace(ITEM, ""));
          else items[items.length - 1] += " " + line;
        }
        const number = /^\s*(\d+)/.exec(lines[0]);
        const start = number && Number(number[1]) !== 1 ? number[1] : null;
        return h(number ? "ol" : "ul", { start }, items.map((item) => h("li", {}, item)));
      }
      return h("p", {}, lines.join(" "));
    });
}
