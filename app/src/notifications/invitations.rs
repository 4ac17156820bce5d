//! The team page's invitations: invite by email with a role, see open invitations,
//! send one again or withdraw it.

use super::api::{list_invitations, Invite, ResendInvitation, RevokeInvitation};
use super::InvitationForm;
use crate::components::{field_error, on_action_ok, Banner, Field, SelectField, SubmitButton};
use crate::customers::CustomerOption;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn InvitationsSection(customers: Signal<Vec<CustomerOption>>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    // Loaded by the browser after hydration, not as a second suspense beside the team
    // list's (see docs/ARCHITECTURE.md, pages and hydration).
    let invitations = RwSignal::new(None::<Result<Vec<super::Invitation>, AppError>>);
    Effect::new(move |_| {
        version.track();
        leptos::task::spawn_local(async move { invitations.set(Some(list_invitations().await)) });
    });
    let email = RwSignal::new(String::new());
    let role = RwSignal::new("WORKER".to_string());
    let customer_id = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<String>);
    let invite = ServerAction::<Invite>::new();
    on_action_ok(invite.value(), failure, move |sent| {
        notice.set(Some(format!("Invitation sent to {}.", sent.email)));
        email.set(String::new());
        version.update(|v| *v += 1);
    });
    let resend = ServerAction::<ResendInvitation>::new();
    on_action_ok(resend.value(), failure, move |sent| {
        notice.set(Some(format!("Sent again to {}, with a new link valid for 7 days.", sent.email)));
        version.update(|v| *v += 1);
    });
    let revoke = ServerAction::<RevokeInvitation>::new();
    on_action_ok(revoke.value(), failure, move |()| {
        notice.set(Some("Invitation withdrawn: its link no longer works.".into()));
        version.update(|v| *v += 1);
    });
    let roles = Signal::derive(|| {
        vec![
            ("WORKER".to_string(), "Field worker".to_string()),
            ("ADMIN".to_string(), "Admin".to_string()),
            ("CUSTOMER".to_string(), "Customer".to_string()),
        ]
    });
    let customer_choices = Signal::derive(move || {
        let mut options = vec![(String::new(), "Choose a customer".to_string())];
        options.extend(customers.get().into_iter().map(|c| (c.id.to_string(), c.name)));
        options
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        let form = InvitationForm {
            email: email.get(),
            role: role.get(),
            customer_id: if role.get() == "CUSTOMER" { customer_id.get() } else { String::new() },
        };
        match form.validate() {
            Ok(_) => {
                invite.dispatch(Invite { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <section class="card" data-testid="invitations">
            <h2>"Invite by email"</h2>
            <p class="muted">"They choose their own name and password from the link. Links are valid for 7 days."</p>
            <form method="post" action=Invite::PATH class="form form-inline" on:submit=on_submit novalidate>
                <Banner failure />
                <div role="status" aria-live="polite">
                    {move || notice.get().map(|text| view! { <div class="banner banner-success">{text}</div> })}
                </div>
                <Field label="Email" name="invite_email" kind="email" value=email error=field_error(failure, "email") autocomplete="off" />
                <SelectField label="Role" name="invite_role" value=role options=roles error=field_error(failure, "role") />
                <Show when=move || role.get() == "CUSTOMER">
                    <SelectField label="Customer" name="invite_customer" value=customer_id options=customer_choices
                        error=field_error(failure, "customer_id") />
                </Show>
                <div class="form-actions"><SubmitButton label="Send invitation" busy_label="Sending…" pending=invite.pending() /></div>
            </form>
            {move || {
                    match invitations.get() {
                        None => ().into_any(),
                        Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"No open invitations."</p> }.into_any(),
                        Some(Ok(list)) => view! {
                            <h3>"Open invitations"</h3>
                            <ul class="invitation-list" data-testid="invitation-list">
                                {list.into_iter().map(|i| {
                                    let id = i.id;
                                    let state = if i.expired { "Expired".to_string() } else { format!("Valid until {}", i.expires_at.format("%-d %b %Y")) };
                                    view! {
                                        <li class="session-row" data-testid="invitation">
                                            <div>
                                                <strong>{i.email.clone()}</strong>
                                                <span class="role-badge">{i.role.label()}</span>
                                                <p class="muted">
                                                    {format!("{}{} · invited by {} · sent {}×", state, i.customer_name.clone().map(|c| format!(" · {c}")).unwrap_or_default(), i.invited_by, i.sent_count)}
                                                </p>
                                            </div>
                                            <div class="row-actions">
                                                <button class="btn btn-small" on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>"Send again"</button>
                                                <button class="btn btn-small btn-danger-ghost" on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>"Withdraw"</button>
                                            </div>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Some(Err(error)) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
            }}
        </section>
    }
}
