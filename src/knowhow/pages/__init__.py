"""What pages share: the page skeleton (base.html, pagination, form fields, the <head>
tags), the cache tags a page names (depends), documents kept like pages (documents) and what
an article tells other sites about itself (metadata). The site's pages and the widgets
both build on it; it knows neither."""
