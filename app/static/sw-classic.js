// The shopper app's service worker for browsers without module service workers (Firefox before 147, Safari
// before 15): the shell cache only. None of them has Background Sync, so the page's own queue sends (on start,
// on `online`, on a timer and from "Send now"), exactly as it does everywhere else.
importScripts("/app/shell.js", "/static/sw-shell.js");
