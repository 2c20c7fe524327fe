"""Present: everything that shows the tables — filters, the offline map, timeline chart,
exports, the briefing slide and its rendering in headless Chromium, and safe markup."""
