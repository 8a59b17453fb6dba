"""What pages share: the page skeleton (base.html, pagination, form fields, the <head>
tags), the context every page gets (context: the site's name, the viewer's), the cache
tags a page names (depends), documents kept like pages (documents) and what an article
tells other sites about itself (metadata). The site's pages, the widgets and every app's
own pages build on it; it knows none of them."""
