"""The shopper app: the offline-first PWA shell (its pages and the service worker's shell manifest)."""
