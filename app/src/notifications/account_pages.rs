//! The pages behind the account emails' links, and the "check your email" page an
//! admin sees until they verify their address.

use super::api::{
    load_invitation, AcceptInvitation, RequestPasswordReset, ResendVerification, ResetPassword, VerifyEmail,
};
use super::{AcceptInvitationForm, PasswordResetForm, PasswordResetRequest, SignInHint};
use crate::auth::api::LogOut;
use crate::auth::{AuthCard, SessionUser};
use crate::components::{field_error, hard_navigate, on_action_ok, Banner, Field, SubmitButton};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn query_token() -> impl Fn() -> String + Copy {
    let query = use_query_map();
    move || query.with(|q| q.get("token").unwrap_or_default())
}

/// The sign-in page an account email's link leads on to, the address filled in.
pub fn login_path(hint: &SignInHint) -> String {
    format!("/{}/login?email={}", hint.company_slug, query_escape(&hint.email))
}

/// Percent-encodes a query value (emails carry `+` and `@`).
fn query_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The error about the link itself (its token has no field on the page to sit by).
#[component]
pub(crate) fn LinkError(failure: RwSignal<Option<AppError>>) -> impl IntoView {
    move || {
        failure.with(|f| f.as_ref().and_then(|e| e.field_message("token"))).map(|message| {
            view! { <div class="banner banner-error" role="alert" data-testid="link-error">{message}</div> }
        })
    }
}

/// "an admin", "a field worker", "a customer".
fn with_article(label: &str) -> String {
    let label = label.to_lowercase();
    if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {label}")
    } else {
        format!("a {label}")
    }
}

/// Shown instead of the app to an admin who has not verified their address.
#[component]
pub fn CheckEmailPage(user: SessionUser) -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let failure = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(false);
    on_action_ok(resend.value(), failure, move |()| sent.set(true));
    let log_out = ServerAction::<LogOut>::new();
    let login = format!("/{}/login", user.company.slug);
    Effect::new(move |_| {
        if log_out.value().get().is_some() {
            hard_navigate(&login);
        }
    });
    view! {
        <Title text="Check your email" />
        <AuthCard title="Check your email".into() subtitle=format!("Welcome to Fieldbook, {}.", user.name)>
            <div class="stack" data-testid="check-email">
                <p>
                    "We sent a link to " <strong>{user.email.clone()}</strong>
                    ". Open it to confirm your address and start using " {user.company.name.clone()} "."
                </p>
                <Banner failure />
                {move || sent.get().then(|| view! {
                    <div class="banner banner-success" role="status">"A new link is on its way. The earlier one no longer works."</div>
                })}
                <button class="btn btn-primary btn-block" on:click=move |_| { resend.dispatch(ResendVerification {}); }
                    disabled=move || resend.pending().get()>
                    "Send me a new link"
                </button>
                <button class="btn btn-ghost btn-block" on:click=move |_| { log_out.dispatch(LogOut {}); }>"Log out"</button>
            </div>
        </AuthCard>
    }
}

/// `/verify-email?token=…`
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = query_token();
    let action = ServerAction::<VerifyEmail>::new();
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<SignInHint>);
    on_action_ok(action.value(), failure, move |hint| done.set(Some(hint)));
    view! {
        <Title text="Confirm your email" />
        <AuthCard title="Confirm your email".into() subtitle="One click and your address is confirmed.".into()>
            <Banner failure />
            <LinkError failure />
            {move || match done.get() {
                Some(hint) => view! {
                    <div class="banner banner-success" role="status" data-testid="verified">
                        {format!("Thank you: {} is confirmed.", hint.email)}
                    </div>
                    <a class="btn btn-primary btn-block" href="/app">"Continue to Fieldbook"</a>
                }.into_any(),
                None => view! {
                    // A form, so the link works without JavaScript as well.
                    <form method="post" action=VerifyEmail::PATH on:submit=move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        action.dispatch(VerifyEmail { token: token() });
                    }>
                        <input type="hidden" name="token" value=token() />
                        <button type="submit" class="btn btn-primary btn-block" data-testid="confirm-email"
                            disabled=move || action.pending().get()>
                            "Confirm my email"
                        </button>
                    </form>
                }.into_any(),
            }}
        </AuthCard>
    }
}

/// `/forgot-password`: asks for a reset link. The answer is the same whether the
/// address has an account or not.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let workspace = RwSignal::new(query.with_untracked(|q| q.get("workspace").unwrap_or_default()));
    let email = RwSignal::new(query.with_untracked(|q| q.get("email").unwrap_or_default()));
    let action = ServerAction::<RequestPasswordReset>::new();
    let failure = RwSignal::new(None::<AppError>);
    let sent = RwSignal::new(false);
    on_action_ok(action.value(), failure, move |()| sent.set(true));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = PasswordResetRequest { workspace: workspace.get(), email: email.get() };
        match form.validate() {
            Ok(()) => {
                action.dispatch(RequestPasswordReset { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <Title text="Forgot your password" />
        <AuthCard title="Forgot your password?".into() subtitle="We'll email you a link to choose a new one.".into()>
            {move || if sent.get() {
                view! {
                    <div class="banner banner-success" role="status" data-testid="reset-sent">
                        {format!("If {} has an account at {}, a reset link is on its way. It works once, for one hour.", email.get(), workspace.get())}
                    </div>
                    <p class="form-foot"><a href="/login">"Back to log in"</a></p>
                }.into_any()
            } else {
                view! {
                    <form method="post" action=RequestPasswordReset::PATH class="form" on:submit=on_submit novalidate>
                        <Banner failure />
                        <Field label="Workspace" name="workspace" value=workspace error=field_error(failure, "workspace")
                            autocomplete="organization" placeholder="your-company" />
                        <Field label="Email" name="email" kind="email" value=email error=field_error(failure, "email")
                            autocomplete="username" />
                        <SubmitButton label="Send me a link" busy_label="Sending…" pending=action.pending() class="btn btn-primary btn-block" />
                    </form>
                }.into_any()
            }}
        </AuthCard>
    }
}

/// `/reset-password?token=…`
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = query_token();
    let password = RwSignal::new(String::new());
    let action = ServerAction::<ResetPassword>::new();
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<SignInHint>);
    on_action_ok(action.value(), failure, move |hint| done.set(Some(hint)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = PasswordResetForm { token: token(), password: password.get() };
        match form.validate() {
            Ok(_) => {
                action.dispatch(ResetPassword { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <Title text="Choose a new password" />
        <AuthCard title="Choose a new password".into() subtitle="Every device signed in to your account will be signed out.".into()>
            {move || match done.get() {
                Some(hint) => view! {
                    <div class="banner banner-success" role="status" data-testid="password-reset">
                        "Your password is changed and every device was signed out."
                    </div>
                    <a class="btn btn-primary btn-block" href=login_path(&hint)>"Log in"</a>
                }.into_any(),
                None => view! {
                    <form method="post" action=ResetPassword::PATH class="form" on:submit=on_submit novalidate>
                        <input type="hidden" name="token" value=token() />
                        <Banner failure />
                        <LinkError failure />
                        <Field label="New password" name="password" kind="password" value=password
                            error=field_error(failure, "password") autocomplete="new-password" hint="At least 10 characters." />
                        <SubmitButton label="Set new password" busy_label="Saving…" pending=action.pending() class="btn btn-primary btn-block" />
                    </form>
                }.into_any(),
            }}
        </AuthCard>
    }
}

/// `/invitation?token=…`: the invitee chooses a name and password.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let token = query_token();
    let invitation = Resource::new(token, load_invitation);
    view! {
        <Title text="Join your team" />
        <Suspense fallback=|| view! { <div class="page-loading" aria-busy="true">"Loading…"</div> }>
            {move || Suspend::new(async move {
                match invitation.await {
                    Ok(info) => view! {
                        <AuthCard title=format!("Join {}", info.company_name)
                            subtitle=format!("You were invited as {}. You'll sign in as {}.", with_article(info.role.label()), info.email)>
                            <AcceptForm token=token() />
                        </AuthCard>
                    }.into_any(),
                    Err(error) => view! {
                        <AuthCard title="Invitation".into() subtitle="This link cannot be used.".into()>
                            <div class="banner banner-error" role="alert" data-testid="invitation-error">{error.to_string()}</div>
                            <p class="form-foot"><a href="/login">"Log in"</a></p>
                        </AuthCard>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptForm(token: String) -> impl IntoView {
    let token_field = token.clone();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = ServerAction::<AcceptInvitation>::new();
    let failure = RwSignal::new(None::<AppError>);
    on_action_ok(action.value(), failure, move |hint| hard_navigate(&login_path(&hint)));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = AcceptInvitationForm { token: token.clone(), name: name.get(), password: password.get() };
        match form.validate() {
            Ok(_) => {
                action.dispatch(AcceptInvitation { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <form method="post" action=AcceptInvitation::PATH class="form" on:submit=on_submit novalidate>
            <input type="hidden" name="token" value=token_field />
            <Banner failure />
            <LinkError failure />
            <Field label="Your name" name="name" value=name error=field_error(failure, "name") autocomplete="name" maxlength=120 />
            <Field label="Password" name="password" kind="password" value=password error=field_error(failure, "password")
                autocomplete="new-password" hint="At least 10 characters." />
            <SubmitButton label="Join" busy_label="Joining…" pending=action.pending() class="btn btn-primary btn-block" />
        </form>
    }
}
