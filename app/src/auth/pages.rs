use super::api::{get_workspace, list_timezones, LogIn, SignUp};
use super::{form_error, LoginForm, SignUpForm};
use crate::components::{field_error, hard_navigate, Banner, Field, NotFound, SelectField, SubmitButton};
use crate::domain::CompanySlug;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Where the workspace typed at `/login` is remembered on this device.
const WORKSPACE_KEY: &str = "fieldbook.workspace";

fn local_storage() -> Option<web_sys::Storage> {
    #[cfg(feature = "hydrate")]
    {
        window().local_storage().ok().flatten()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// The IANA zone the browser runs in (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
fn browser_timezone() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        let options =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new()).resolved_options();
        js_sys::Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

/// The page to open after sign-in: `?next=` when it points inside the app.
fn next_path(fallback: &str) -> String {
    use_query_map()
        .get_untracked()
        .get("next")
        .filter(|next| next.starts_with("/app") && !next.starts_with("//"))
        .unwrap_or_else(|| fallback.to_string())
}

#[component]
pub fn AuthCard(title: String, subtitle: String, children: Children) -> impl IntoView {
    view! {
        <div class="auth-page">
            <a class="brand auth-brand" href="/">
                <span class="brand-mark" aria-hidden="true">"F"</span>
                <span class="brand-name">"Fieldbook"</span>
            </a>
            <main class="auth-card">
                <h1>{title}</h1>
                <p class="muted">{subtitle}</p>
                {children()}
            </main>
        </div>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    // A form posted before the script loaded comes back with its fields and error in
    // the query (never the password).
    let query = use_query_map().get_untracked();
    let given = |key: &str| query.get(key).unwrap_or_default();
    let company_name = RwSignal::new(given("company_name"));
    let slug = RwSignal::new(given("slug"));
    let slug_edited = RwSignal::new(!given("slug").is_empty());
    let returned_timezone = query.get("timezone");
    let timezone = RwSignal::new(returned_timezone.clone().unwrap_or_else(|| "UTC".to_string()));
    let admin_name = RwSignal::new(given("admin_name"));
    let email = RwSignal::new(given("email"));
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(query.get("error").and_then(|code| form_error(&code)));
    let action = ServerAction::<SignUp>::new();
    let timezones = Resource::new(|| (), |_| list_timezones());

    // Suggest the address from the company name until the user edits it.
    Effect::new(move |_| {
        let name = company_name.get();
        if !slug_edited.get_untracked() {
            slug.set(CompanySlug::suggest(&name));
        }
    });
    // Start from the browser's own timezone.
    Effect::new(move |_| {
        if returned_timezone.is_some() {
            return;
        }
        if let Some(zone) = browser_timezone() {
            timezone.set(zone);
        }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(user)) => hard_navigate(user.role.home_path()),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = SignUpForm {
            company_name: company_name.get(),
            slug: slug.get(),
            timezone: timezone.get(),
            admin_name: admin_name.get(),
            email: email.get(),
            password: password.get(),
        };
        match form.validate() {
            Ok(_) => {
                failure.set(None);
                action.dispatch(SignUp { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    let timezone_options = Signal::derive(move || {
        let current = timezone.get();
        let mut zones = timezones.get().and_then(Result::ok).unwrap_or_default();
        if !zones.contains(&current) {
            zones.insert(0, current);
        }
        zones.into_iter().map(|z| (z.clone(), z.replace('_', " "))).collect::<Vec<_>>()
    });

    view! {
        <Title text="Create your workspace" />
        <AuthCard
            title="Create your workspace".into()
            subtitle="Set up your company and your admin login. It takes a minute.".into()
        >
            <form method="post" class="form" on:submit=on_submit novalidate data-posts-without-script="">
                <Banner failure />
                <fieldset>
                    <legend>"Your company"</legend>
                    <Field label="Company name" name="company_name" value=company_name
                        error=field_error(failure, "company_name") autocomplete="organization" maxlength=120 autofocus=true />
                    <div class="field" class:has-error=move || field_error(failure, "slug").get().is_some()>
                        <label for="field-slug">"Workspace address"</label>
                        <div class="input-prefix">
                            <span aria-hidden="true">"fieldbook / "</span>
                            <input id="field-slug" name="slug" type="text" autocomplete="off" maxlength=40
                                prop:value=move || slug.get()
                                on:input=move |ev| { slug_edited.set(true); slug.set(event_target_value(&ev)); }
                                aria-invalid=move || field_error(failure, "slug").get().is_some().to_string() />
                        </div>
                        <p class="hint">
                            "Your team signs in at /"
                            {move || Some(slug.get()).filter(|s| !s.is_empty()).unwrap_or_else(|| "your-company".into())}
                            "/login"
                        </p>
                        {move || field_error(failure, "slug").get().map(|m| view! { <p class="field-error">{m}</p> })}
                    </div>
                    <SelectField label="Timezone" name="timezone" value=timezone options=timezone_options
                        error=field_error(failure, "timezone") hint="Used for schedules and monthly reports." />
                </fieldset>
                <fieldset>
                    <legend>"Your admin login"</legend>
                    <Field label="Your name" name="admin_name" value=admin_name
                        error=field_error(failure, "admin_name") autocomplete="name" maxlength=120 />
                    <Field label="Email" name="email" kind="email" value=email
                        error=field_error(failure, "email") autocomplete="email" />
                    <Field label="Password" name="password" kind="password" value=password
                        error=field_error(failure, "password") autocomplete="new-password"
                        hint="At least 10 characters. A short phrase works well." />
                </fieldset>
                <SubmitButton label="Create workspace" busy_label="Creating…" pending=action.pending() class="btn btn-primary btn-block" />
                <p class="form-foot">"Already have a workspace? " <a href="/login">"Log in"</a></p>
            </form>
        </AuthCard>
    }
}

/// The sign-in form, with the workspace either fixed (from the URL) or typed.
#[component]
fn LoginFormView(fixed_workspace: Option<String>) -> impl IntoView {
    // A form the server sent back keeps the workspace typed at `/login` (`?workspace=`).
    let typed_workspace = use_query_map().with_untracked(|q| q.get("workspace").unwrap_or_default());
    let workspace = RwSignal::new(fixed_workspace.clone().unwrap_or(typed_workspace));
    // Links from account emails name the address (`?email=`).
    let email = RwSignal::new(use_query_map().with_untracked(|q| q.get("email").unwrap_or_default()));
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(use_query_map().with_untracked(|q| q.get("error")).and_then(|code| form_error(&code)));
    let action = ServerAction::<LogIn>::new();
    let forgot_href = move || {
        let ws = workspace.get();
        if ws.is_empty() {
            "/forgot-password".to_string()
        } else {
            format!("/forgot-password?workspace={ws}")
        }
    };
    let ask_workspace = fixed_workspace.is_none();

    if ask_workspace {
        Effect::new(move |_| {
            if let Some(saved) = local_storage().and_then(|s| s.get_item(WORKSPACE_KEY).ok().flatten()) {
                if workspace.get_untracked().is_empty() {
                    workspace.set(saved);
                }
            }
        });
    }
    Effect::new(move |_| match action.value().get() {
        Some(Ok(user)) => {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(WORKSPACE_KEY, &user.company.slug);
            }
            hard_navigate(&next_path(user.role.home_path()));
        }
        Some(Err(error)) => {
            password.set(String::new());
            failure.set(Some(error));
        }
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = LoginForm { workspace: workspace.get(), email: email.get(), password: password.get() };
        match form.validate() {
            Ok(()) => {
                failure.set(None);
                action.dispatch(LogIn { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };

    view! {
        <form method="post" class="form" on:submit=on_submit novalidate data-posts-without-script="">
            <Banner failure />
            {ask_workspace.then(|| view! {
                <Field label="Workspace" name="workspace" value=workspace error=field_error(failure, "workspace")
                    autocomplete="organization" placeholder="your-company" hint="The name in your company's Fieldbook address." />
            })}
            <Field label="Email" name="email" kind="email" value=email error=field_error(failure, "email")
                autocomplete="username" autofocus=true />
            <Field label="Password" name="password" kind="password" value=password error=field_error(failure, "password")
                autocomplete="current-password" />
            <SubmitButton label="Log in" busy_label="Logging in…" pending=action.pending() class="btn btn-primary btn-block" />
            <p class="form-foot"><a href=forgot_href data-testid="forgot-password">"Forgot your password?"</a></p>
        </form>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    view! {
        <Title text="Log in" />
        <AuthCard title="Log in".into() subtitle="Welcome back. Sign in to your company's workspace.".into()>
            <LoginFormView fixed_workspace=None />
            <p class="form-foot">"New to Fieldbook? " <a href="/signup">"Create a workspace"</a></p>
        </AuthCard>
    }
}

#[component]
pub fn WorkspaceLoginPage() -> impl IntoView {
    let params = use_params_map();
    let workspace = Resource::new(move || params.get().get("slug").unwrap_or_default(), get_workspace);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(info) => view! {
                        <Title text=format!("Log in to {}", info.name) />
                        <AuthCard title=format!("Log in to {}", info.name) subtitle="Use the email and password your admin set up for you.".into()>
                            <LoginFormView fixed_workspace=Some(info.slug.clone()) />
                            <p class="form-foot">"Not your company? " <a href="/login">"Choose another workspace"</a></p>
                        </AuthCard>
                    }.into_any(),
                    Err(_) => view! { <NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
