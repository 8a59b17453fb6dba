# Varnish in front of knowhow: one object per page for anonymous visitors, never stale.
#
# knowhow sends everyone's pages with Surrogate-Control (how long to keep them) and their
# tags in Surrogate-Key; every write purges its tags here (PURGE with an xkey header)
# before its response returns. Signed-in readers, posting and everything with a cookie of
# its own pass straight through and are never stored.
#
# A page with a form is the same for every visitor here: its CSRF field is empty, and the
# page's script fills it from the visitor's cookie when the form is sent (without script,
# knowhow asks for the post once more with the token in the page); the time the form was
# shown is everyone's for two seconds, and the page is kept here that long.
#
# Set KNOWHOW_EDGE_PURGE_URLS=varnish://127.0.0.1:6081 for knowhow (docs/operators/varnish.md).
vcl 4.1;

import std;
import xkey;

backend knowhow {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 60s;
}

# Who may purge: the machines knowhow (servers, the task worker, imports) runs on.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey) {
            return (synth(400, "No xkey header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    # Pages vary by language (Vary: Accept-Language): keep one copy per language knowhow
    # offers, not one per browser's wording of the header. The header becomes the first
    # offered code it names (en-GB,en;q=0.9 -> en), or else the site's language. List
    # KNOWHOW_LANGUAGES here, longest codes first (pt-br before pt), and put the site's
    # language (KNOWHOW_LANGUAGE) in the else branch.
    if (req.http.Accept-Language ~ "(?i)(^|,)\s*(en|es|ar)(-[a-z0-9]+)*\s*(;|,|$)") {
        set req.http.Accept-Language = std.tolower(regsub(req.http.Accept-Language,
            "(?i)^.*?(^|,)\s*(en|es|ar)(-[a-z0-9]+)*\s*(;|,|$).*$", "\2"));
    } else {
        set req.http.Accept-Language = "en";
    }
    # Only knowhow says what an edge may fill, and only this file skips the cache: never
    # a client.
    unset req.http.Surrogate-Capability;
    if (req.restarts == 0) {
        unset req.http.X-Knowhow-Pass;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.http.X-Knowhow-Pass) {
        return (pass);
    }
    # Any cookie but the CSRF one (a session: a signed-in reader): their own page.
    if (req.http.Cookie) {
        set req.http.X-Other-Cookies = regsuball(req.http.Cookie, "(^|;\s*)csrftoken=[^;]*", "");
        set req.http.X-Other-Cookies = regsuball(req.http.X-Other-Cookies, "^[;\s]+|[;\s]+$", "");
        if (req.http.X-Other-Cookies != "") {
            unset req.http.X-Other-Cookies;
            return (pass);
        }
        unset req.http.X-Other-Cookies;
    }
    # The CSRF cookie still goes to knowhow: a page it does not offer for keeping (a form
    # of its own) carries this visitor's token, and is not stored.
    set req.http.Surrogate-Capability = {"varnish="ESI/1.0""};
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.Host);
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie || beresp.http.Surrogate-Control !~ "max-age=[0-9]+") {
        # Not everyone's page: remembered a while as one to fetch for each visitor (the
        # requests for it are not queued behind one another).
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    set beresp.ttl = std.duration(
        regsub(beresp.http.Surrogate-Control, "^.*max-age=([0-9]+).*$", "\1s"), 0s);
    if (beresp.ttl <= 0s) {
        # Not to be kept (a purge is owed, or it was stale when sent): ask every time.
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    # After the time to keep it, ask knowhow with If-None-Match rather than fetch it anew.
    set beresp.grace = 0s;
    set beresp.keep = 1h;
    # Everyone's pages hold nothing of a visitor's own (no token): kept compressed, and
    # sent so to visitors who take gzip (unpacked here for the others).
    if (beresp.http.Content-Type ~ "^text/html" && !beresp.http.Content-Encoding) {
        set beresp.do_gzip = true;
    }
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    unset beresp.http.Surrogate-Control;
    return (deliver);
}

sub vcl_deliver {
    # A page with a form needs the visitor's CSRF cookie: one without it gets the page
    # from knowhow, which sets it (once; later visits are hits).
    if (req.esi_level == 0 && resp.http.X-Knowhow-Holes ~ "csrf"
        && req.http.Cookie !~ "(^|;\s*)csrftoken=[A-Za-z0-9]{32}(;|$)") {
        set req.http.X-Knowhow-Pass = "1";
        unset req.http.Surrogate-Capability;
        return (restart);
    }
    if (obj.hits > 0) {
        set resp.http.X-Edge = "HIT";
    } else {
        set resp.http.X-Edge = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Surrogate-Control;
    unset resp.http.X-Knowhow-Holes;
    unset resp.http.X-Cache;
}
