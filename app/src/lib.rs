//! Fieldbook's pages, components, server functions and shared types. Compiled
//! twice: with `ssr` into the server, with `hydrate` into the browser's WASM.
// Leptos views are deeply nested types; release builds need more room to lay them out.
#![recursion_limit = "256"]

pub mod account;
pub mod api_keys;
pub mod audit;
pub mod auth;
#[cfg(feature = "ssr")]
pub mod backend;
pub mod components;
pub mod customers;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod notifications;
pub mod offline;
pub mod pages;
pub mod routes;
pub mod statuses;
pub mod time;
pub mod users;
pub mod webhooks;

use components::NotFound;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};
use routes::*;

/// Holds a form submitted before the WASM has taken the form over and sends it again
/// once it has (`hold_submits.js`).
const HOLD_EARLY_SUBMITS: &str = include_str!("hold_submits.js");

/// What the WASM adds elsewhere, on pages sent without it (`routes::sent_without_wasm`).
const WITHOUT_WASM_SCRIPT: &str = include_str!("without_wasm.js");

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // When the page was rendered: a copy the service worker shows offline says "as of" this.
    let rendered_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // What a form posted without JavaScript did (components::flash).
    #[cfg(feature = "ssr")]
    let flash = components::take_flash();
    #[cfg(not(feature = "ssr"))]
    let flash = None::<components::Flash>;
    // Pages whose every control works without the WASM get none (`routes::sent_without_wasm`).
    #[cfg(feature = "ssr")]
    let loads_wasm =
        use_context::<http::request::Parts>().is_none_or(|parts| !routes::sent_without_wasm(parts.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let loads_wasm = true;
    if !loads_wasm {
        provide_context(routes::SentWithoutWasm);
    }
    view! {
        <!DOCTYPE html>
        // `data-wasm="none"`: the held-submit script and the browser tests know not to wait.
        <html lang="en" data-wasm=(!loads_wasm).then_some("none")>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#0f5c4d" />
                <meta name="fieldbook-rendered-at" content=rendered_at />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
                <meta name="mobile-web-app-capable" content="yes" />
                <meta name="apple-mobile-web-app-capable" content="yes" />
                <meta name="apple-mobile-web-app-title" content="Fieldbook" />
                <meta name="apple-mobile-web-app-status-bar-style" content="default" />
                <HashedStylesheet options=options.clone() id="leptos" />
                // The installable app (service worker, install button, offline queue): plain
                // scripts from our own origin, outside the WASM bundle.
                <script src="/offline-queue.js" defer></script>
                <script type="module" src="/pwa.js"></script>
                // Inline, so it is there before any form can be submitted.
                <script nonce=leptos::nonce::use_nonce() inner_html=HOLD_EARLY_SUBMITS></script>
                // Only under `./fieldbook dev` (cargo leptos watch): reloads the page on a rebuild.
                <AutoReload options=options.clone() />
                {if loads_wasm {
                    view! { <HydrateAfterFirstPaint options /> }.into_any()
                } else {
                    view! { <script nonce=leptos::nonce::use_nonce() inner_html=WITHOUT_WASM_SCRIPT></script> }.into_any()
                }}
                <MetaTags />
            </head>
            <body>
                <App />
                // Notices of the installed app and of held forms (pwa.js, hold_submits.js):
                // outside the app's root, so they never disturb hydration.
                <div id="pwa-dock" class="pwa-dock">{flash.map(|flash| view! { <components::FlashNotice flash /> })}</div>
            </body>
        </html>
    }
}

/// Loads the WASM bundle and hydrates the page — once the server's HTML has been painted.
///
/// Leptos's `<HydrationScripts>` preloads the 1 MB bundle from the head, so on a slow
/// phone it shares the line with what the first paint needs, and Lighthouse's simulation
/// counts its whole download into the largest paint (6.6 s measured on pages whose real
/// paint was at 0.2 s). The page is fully drawn by the server, so nothing is lost by
/// asking for the bundle after the `load` event and a frame; forms submitted meanwhile
/// are held (`hold_submits.js`). The file names are the ones `<HydrationScripts>` uses.
#[component]
fn HydrateAfterFirstPaint(options: LeptosOptions) -> impl IntoView {
    // Read once: the names change only with a new build (a new process).
    static NAMES: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let (js, wasm) = NAMES.get_or_init(|| bundle_names(&options)).clone();
    let pkg = options.site_pkg_dir.to_string();
    let script = format!(
        r#"(() => {{
  // A macrotask between instantiating and hydrating: in one task they made one long
  // task (450 ms on Lighthouse's slow phone) in which no tap could be handled.
  const nextTask = () => new Promise((resume) => setTimeout(resume, 0));
  const start = () => import("/{pkg}/{js}.js").then((bundle) =>
    bundle.default({{ module_or_path: "/{pkg}/{wasm}.wasm" }}).then(nextTask).then(() => bundle.hydrate()));
  const afterPaint = () => requestAnimationFrame(() => setTimeout(start, 0));
  if (document.readyState === "complete") afterPaint();
  else addEventListener("load", afterPaint, {{ once: true }});
}})();"#
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce() inner_html=script></script> }
}

/// The bundle's JS and WASM file stems: `fieldbook.<hash>` when the build named them after
/// their content (the `hash.txt` beside the server binary), else `fieldbook`.
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    let name = options.output_name.to_string();
    #[cfg_attr(not(feature = "ssr"), allow(unused_mut))]
    let (mut js, mut wasm) = (name.clone(), name);
    #[cfg(feature = "ssr")]
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        for (file, hash) in hashes.lines().filter_map(|line| line.trim().split_once(':')) {
            match file.trim() {
                "js" => js = format!("{js}.{}", hash.trim()),
                "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                _ => {}
            }
        }
        return (js, wasm);
    }
    // wasm-bindgen's own name, unless the build named the output (cargo-leptos does).
    if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

/// The document title for a page's `<Title text>`. leptos_meta writes the server's
/// `<title>` into the HTML as it is, so on the server the text is escaped here; in the
/// browser it goes to `document.title`, which is plain text already.
fn page_title(title: String) -> String {
    let title = if title.is_empty() { "Fieldbook".to_string() } else { format!("{title} · Fieldbook") };
    if cfg!(feature = "ssr") {
        escape_html(&title)
    } else {
        title
    }
}

/// `&`, `<`, `>`, `"` and `'` as character references (pages' titles, emails' HTML).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Hydrates the server-rendered page (the browser entry point calls this). The page's
/// lazy routes load their parts first, so hydration finishes a while after it starts;
/// only then is `#root` marked hydrated. (An effect in `App` ran as soon as the router
/// started waiting for the parts: a form filled in then lost what was typed.)
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::prelude::document().body().expect("a page has a body"), App)
            .await
            .forget();
        if let Some(root) = leptos::prelude::document().get_element_by_id("root") {
            _ = root.set_attribute("data-hydrated", "true");
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=page_title />
        // `data-hydrated` flips to "true" once the WASM has hydrated the page (`hydrate`
        // below); the held-submit script and the browser tests wait for it.
        <div id="root" data-hydrated="false">
            <Router>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("") view={lazy::<LandingRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("signup") view={lazy::<SignUpRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("login") view={lazy::<LoginRoute>()} ssr=SsrMode::Async />
                    <Route path=path!(":slug/login") view={lazy::<WorkspaceLoginRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("share/:token") view={lazy::<ShareRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("verify-email") view={lazy::<VerifyEmailRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("forgot-password") view={lazy::<ForgotPasswordRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("reset-password") view={lazy::<ResetPasswordRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("invitation") view={lazy::<InvitationRoute>()} ssr=SsrMode::Async />
                    <Route path=path!("unsubscribe") view={lazy::<UnsubscribeRoute>()} ssr=SsrMode::Async />
                    <ParentRoute path=path!("app") view={lazy::<ShellRoute>()} ssr=SsrMode::Async>
                        <Route path=path!("") view={lazy::<HomeRoute>()} />
                        <Route path=path!("dashboard") view={lazy::<DashboardRoute>()} />
                        <Route path=path!("jobs") view={lazy::<JobsRoute>()} />
                        <Route path=path!("jobs/new") view={lazy::<NewJobRoute>()} />
                        <Route path=path!("jobs/:id") view={lazy::<JobRoute>()} />
                        <Route path=path!("jobs/:id/edit") view={lazy::<EditJobRoute>()} />
                        <Route path=path!("customers") view={lazy::<CustomersRoute>()} />
                        <Route path=path!("customers/:id") view={lazy::<CustomerRoute>()} />
                        <Route path=path!("statuses") view={lazy::<StatusesRoute>()} />
                        <Route path=path!("users") view={lazy::<UsersRoute>()} />
                        <Route path=path!("my-jobs") view={lazy::<MyJobsRoute>()} />
                        <Route path=path!("portal") view={lazy::<PortalRoute>()} />
                        <Route path=path!("time") view={lazy::<MyTimeRoute>()} />
                        <Route path=path!("time/:id") view={lazy::<EntryRoute>()} />
                        <Route path=path!("logs") view={lazy::<LogsRoute>()} />
                        <Route path=path!("contracts") view={lazy::<ContractsRoute>()} />
                        <Route path=path!("approvals") view={lazy::<ApprovalsRoute>()} />
                        <Route path=path!("reports") view={lazy::<ReportsRoute>()} />
                        <Route path=path!("account") view={lazy::<AccountRoute>()} />
                        <Route path=path!("notifications") view={lazy::<NotificationsRoute>()} />
                        <Route path=path!("outbox") view={lazy::<OutboxRoute>()} />
                        <Route path=path!("audit") view={lazy::<AuditRoute>()} />
                        <Route path=path!("api") view={lazy::<ApiRoute>()} />
                    </ParentRoute>
                </Routes>
            </Router>
        </div>
    }
}
