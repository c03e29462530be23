// The classroom's own script, run before the page's framework loads. Where the server lacks the page's web
// assets (scripts/dashboard_assets.sh was not run and the server cannot reach the public CDN), the page
// would stay blank: say what is missing and how to fix it instead.
(function () {
    // The browser's languages, for the page's first language (words.py: LANGUAGE_COOKIE): the page's
    // websocket does not always carry Accept-Language.
    document.cookie = "ygt_languages=" + encodeURIComponent((navigator.languages || [navigator.language]).join(",")) +
        "; path=/; SameSite=Lax";
    var missing = [];
    function explain() {
        var box = document.getElementById("ygt-missing-assets");
        if (!box) {
            box = document.createElement("div");
            box.id = "ygt-missing-assets";
            box.setAttribute("role", "alert");
            box.style.cssText = "position: fixed; top: 0; left: 0; right: 0; z-index: 100003; padding: 16px 24px;" +
                "background: #fff3e0; border-bottom: 3px solid #e65100; color: #222; font: 18px/1.5 sans-serif";
            (document.body || document.documentElement).appendChild(box);
        }
        box.innerHTML = "<b>The classroom cannot start: this server lacks the page's web assets.</b><br>" +
            "On the server: <code>bash scripts/dashboard_assets.sh</code> (needs npm), then restart " +
            "<code>ygt-abm dashboard</code>.<br>" +
            "<b>课堂页面无法启动：服务器缺少网页资源。</b>请在服务器上运行 <code>bash scripts/dashboard_assets.sh</code>" +
            "（需要 npm），然后重新启动 <code>ygt-abm dashboard</code>。<br>" +
            "<small>missing: " + missing.map(function (u) {
                return u.replace(/^.*\/_solara\/cdn\//, "");
            }).join(", ") + "</small>";
    }
    // resource errors do not bubble: listen while they are captured
    window.addEventListener("error", function (event) {
        var url = event.target && (event.target.src || event.target.href);
        if (url && url.indexOf("/_solara/cdn/") >= 0) {
            missing.push(url);
            explain();
        }
    }, true);
    window.addEventListener("load", function () {
        if (typeof window.requirejs === "undefined" || typeof window.Vue === "undefined") {
            if (!missing.length) { missing.push("the page's framework (Vue, requirejs)"); }
            explain();
        }
    });
})();
