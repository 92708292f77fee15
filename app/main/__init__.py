"""The landing page, the service worker and the web app manifest."""
