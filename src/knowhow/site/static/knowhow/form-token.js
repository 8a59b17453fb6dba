// A page an edge cache (Varnish) keeps is the same for every visitor, so its forms come
// without the visitor's CSRF token. Filled here from the visitor's own cookie when the form
// is sent; without script the site asks once more, with the token in the page.
document.addEventListener("submit", (event) => {
  const found = document.cookie.match(/(?:^|;\s*)csrftoken=([A-Za-z0-9]{32})(?:;|$)/);
  if (!found) return;
  for (const field of event.target.querySelectorAll('input[name="csrfmiddlewaretoken"]')) {
    if (field.value === "") field.value = found[1];
  }
});
