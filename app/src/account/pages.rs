use super::api::{list_sessions, ChangePassword, RevokeSession, UpdateProfile};
use super::{PasswordChangeForm, ProfileForm};
use crate::auth::api::{list_timezones, LogOutEverywhere};
use crate::components::{announce, field_error, hard_navigate, use_user, Banner, Field, SelectField, SubmitButton};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_user();
    view! {
        <Title text="Account" />
        <div class="page-head">
            <div>
                <h1>"Account"</h1>
                <p class="muted">{format!("{} · {} at {}", user.email, user.role.label(), user.company.name)}</p>
            </div>
        </div>
        <div class="stack">
            <ProfileSection />
            <crate::notifications::EmailSettingsSection />
            <PasswordSection />
            <SessionsSection />
        </div>
    }
}

#[component]
fn ProfileSection() -> impl IntoView {
    let user = use_user();
    let name = RwSignal::new(user.name.clone());
    let timezone =
        RwSignal::new(if user.timezone == user.company.timezone { String::new() } else { user.timezone.clone() });
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = ServerAction::<UpdateProfile>::new();
    let zones = Resource::new(|| (), |_| list_timezones());
    let company_default = format!("Company default ({})", user.company.timezone.replace('_', " "));
    let timezone_options = Signal::derive(move || {
        let mut options = vec![(String::new(), company_default.clone())];
        let current = timezone.get();
        let listed = zones.get().and_then(Result::ok).unwrap_or_default();
        if !current.is_empty() && !listed.contains(&current) {
            options.push((current.clone(), current.replace('_', " ")));
        }
        options.extend(listed.into_iter().map(|z| (z.clone(), z.replace('_', " "))));
        options
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            failure.set(None);
            saved.set(true);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let form = ProfileForm { name: name.get(), timezone: timezone.get() };
        match form.validate() {
            Ok(_) => {
                action.dispatch(UpdateProfile { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <section class="card">
            <h2>"Profile"</h2>
            <form method="post" action=UpdateProfile::PATH class="form" on:submit=on_submit novalidate>
                <Banner failure />
                {move || saved.get().then(|| view! { <div class="banner banner-success" role="status">"Profile saved."</div> })}
                <Field label="Name" name="name" value=name error=field_error(failure, "name") autocomplete="name" maxlength=120 />
                <SelectField label="Timezone" name="timezone" value=timezone options=timezone_options
                    error=field_error(failure, "timezone") hint="Times are shown to you in this timezone." />
                <div class="form-actions"><SubmitButton label="Save profile" busy_label="Saving…" pending=action.pending() /></div>
            </form>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let action = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => {
            failure.set(None);
            current.set(String::new());
            new.set(String::new());
            saved.set(true);
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let form = PasswordChangeForm { current_password: current.get(), new_password: new.get() };
        match form.validate() {
            Ok(_) => {
                action.dispatch(ChangePassword { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <section class="card">
            <h2>"Password"</h2>
            <form method="post" action=ChangePassword::PATH class="form" on:submit=on_submit novalidate>
                <Banner failure />
                {move || saved.get().then(|| view! { <div class="banner banner-success" role="status">"Password changed. Your other devices were signed out."</div> })}
                <Field label="Current password" name="current_password" kind="password" value=current
                    error=field_error(failure, "current_password") autocomplete="current-password" />
                <Field label="New password" name="new_password" kind="password" value=new
                    error=field_error(failure, "new_password") autocomplete="new-password" hint="At least 10 characters." />
                <div class="form-actions"><SubmitButton label="Change password" busy_label="Changing…" pending=action.pending() /></div>
            </form>
        </section>
    }
}

#[component]
fn SessionsSection() -> impl IntoView {
    let user = use_user();
    let version = RwSignal::new(0u32);
    let sessions = Resource::new(move || version.get(), |_| list_sessions());
    let revoke = ServerAction::<RevokeSession>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => {
            announce("That device was signed out.");
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => {
            announce(format!("The device was not signed out: {error}"));
            version.update(|v| *v += 1);
        }
        None => {}
    });
    let login_path = format!("/{}/login", user.company.slug);
    Effect::new(move |_| {
        if everywhere.value().get().is_some() {
            hard_navigate(&login_path);
        }
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Signed-in devices"</h2>
                <button class="btn btn-danger-ghost btn-small" on:click=move |_| { everywhere.dispatch(LogOutEverywhere {}); }>
                    "Log out of all devices"
                </button>
            </div>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! {
                            <ul class="session-list">
                                {list.into_iter().map(|s| {
                                    let id = s.id;
                                    view! {
                                        <li class="session-row">
                                            <div>
                                                <strong>{s.device.clone()}</strong>
                                                {s.current.then(|| view! { <span class="role-badge">"This device"</span> })}
                                                <p class="muted">
                                                    {format!("Last active {}", s.last_active)}
                                                    {s.ip.clone().map(|ip| format!(" · {ip}"))}
                                                </p>
                                            </div>
                                            {(!s.current).then(|| view! {
                                                <button class="btn btn-small" on:click=move |_| { revoke.dispatch(RevokeSession { session_id: id }); }>"Log out"</button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
