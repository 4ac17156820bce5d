//! The notification centre, the email settings section of the account page, and
//! the unsubscribe page of non-essential emails.

use super::api::{
    list_notifications, load_email_preferences, mark_notification_read, MarkAllNotificationsRead, SaveEmailPreferences,
    Unsubscribe,
};
use super::bell::use_live_notifications;
use super::{EmailPreferences, EmailTopic, Notification};
use crate::components::{on_action_ok, use_user, Banner, EmptyState};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let live = use_live_notifications();
    let before = RwSignal::new(None::<i64>);
    // Every live arrival re-reads the list (and the unread count with it).
    let changes = move || live.map(|l| l.changes.get()).unwrap_or(0);
    let page = Resource::new(move || (before.get(), changes()), |(before, _)| list_notifications(before));
    let failure = RwSignal::new(None::<AppError>);
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    on_action_ok(mark_all.value(), failure, move |unread| {
        if let Some(live) = live {
            live.unread.set(unread);
        }
        page.refetch();
    });
    view! {
        <Title text="Notifications" />
        <div class="page-head">
            <div>
                <h1>"Notifications"</h1>
                <p class="muted">"What happened to your jobs and time, newest first."</p>
            </div>
            <button class="btn" data-testid="mark-all-read" on:click=move |_| { mark_all.dispatch(MarkAllNotificationsRead {}); }
                disabled=move || mark_all.pending().get()>
                "Mark all as read"
            </button>
        </div>
        <Banner failure />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) if page.items.is_empty() && before.get_untracked().is_none() => view! {
                        <EmptyState icon="bell" title="Nothing yet">
                            <p>"You'll see here when time is submitted or decided, or a job is assigned to you."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(page) => {
                        let next = page.next_before;
                        view! {
                            <ul class="notification-list" data-testid="notification-list" data-ready="true">
                                {page.items.into_iter().map(|n| view! { <NotificationRow notification=n /> }).collect_view()}
                            </ul>
                            <div class="pager">
                                {move || before.get().is_some().then(|| view! {
                                    <button class="btn btn-small" on:click=move |_| before.set(None)>"Back to newest"</button>
                                })}
                                {next.map(|id| view! {
                                    <button class="btn btn-small" data-testid="older" on:click=move |_| before.set(Some(id))>"Older"</button>
                                })}
                            </div>
                        }.into_any()
                    }
                    Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NotificationRow(notification: Notification) -> impl IntoView {
    let live = use_live_notifications();
    let read = RwSignal::new(notification.read);
    let id = notification.id;
    // Opening a notification marks it read; the link then goes to its subject.
    let open = move |_| {
        if !read.get_untracked() {
            read.set(true);
            leptos::task::spawn_local(async move {
                if let (Ok(unread), Some(live)) = (mark_notification_read(id).await, live) {
                    live.unread.set(unread);
                }
            });
        }
    };
    view! {
        <li class="notification" class:unread=move || !read.get() data-testid="notification">
            <a href=notification.link.clone() on:click=open>
                <span class="notification-dot" aria-hidden="true"></span>
                <span class="notification-text">
                    <strong>{notification.title.clone()}</strong>
                    <span class="muted">{notification.body.clone()}</span>
                </span>
                <time class="muted notification-when">{notification.when.clone()}</time>
            </a>
            {move || (!read.get()).then(|| view! { <span class="sr-only">"Unread"</span> })}
        </li>
    }
}

/// Which non-essential emails the user gets (the account page).
#[component]
pub fn EmailSettingsSection() -> impl IntoView {
    let user = use_user();
    let topics = EmailTopic::for_role(user.role);
    // Loaded by the browser after hydration (one suspense per page hydrates reliably;
    // the account page's sessions list has it).
    let loaded = RwSignal::new(None::<Result<EmailPreferences, AppError>>);
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { loaded.set(Some(load_email_preferences().await)) });
    });
    let failure = RwSignal::new(None::<AppError>);
    let saved = RwSignal::new(false);
    let save = ServerAction::<SaveEmailPreferences>::new();
    on_action_ok(save.value(), failure, move |_| saved.set(true));
    view! {
        <section class="card" data-testid="email-settings">
            <h2>"Email"</h2>
            <p class="muted">"Account emails (verification, password reset, invitations) always reach you. Choose the others:"</p>
            <Banner failure />
            {move || saved.get().then(|| view! { <div class="banner banner-success" role="status">"Email settings saved."</div> })}
            {move || {
                    match loaded.get() {
                        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                        Some(Ok(current)) => {
                            let state = RwSignal::new(current);
                            view! {
                                <form method="post" action=SaveEmailPreferences::PATH class="form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                                    ev.prevent_default();
                                    saved.set(false);
                                    save.dispatch(SaveEmailPreferences { preferences: state.get_untracked() });
                                }>
                                    {topics.iter().map(|&topic| view! {
                                        <label class="check">
                                            <input type="checkbox" name=topic.key() value="true"
                                                checked=state.with_untracked(|p: &EmailPreferences| p.get(topic))
                                                prop:checked=move || state.with(|p: &EmailPreferences| p.get(topic))
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    state.update(|p| p.set(topic, on));
                                                } />
                                            <span>{topic.label()}</span>
                                        </label>
                                    }).collect_view()}
                                    <div class="form-actions">
                                        <button class="btn btn-primary" type="submit" disabled=move || save.pending().get()>"Save email settings"</button>
                                    </div>
                                </form>
                            }.into_any()
                        }
                        Some(Err(error)) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
            }}
        </section>
    }
}

/// `/unsubscribe?token=…`: one click turns one kind of email off, no sign-in needed.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<Unsubscribe>::new();
    let failure = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<super::Unsubscribed>);
    on_action_ok(action.value(), failure, move |answer| done.set(Some(answer)));
    view! {
        <Title text="Unsubscribe" />
        <crate::auth::AuthCard title="Unsubscribe".into() subtitle="Stop one kind of email from Fieldbook.".into()>
            <Banner failure />
            <super::account_pages::LinkError failure />
            {move || match done.get() {
                Some(answer) => view! {
                    <div class="banner banner-success" role="status">
                        {format!("Done: {} no longer gets “{}” emails. You can turn them on again in your account settings.", answer.email, answer.topic)}
                    </div>
                    <p class="form-foot"><a href="/app/account">"Open account settings"</a></p>
                }.into_any(),
                None => view! {
                    <button class="btn btn-primary btn-block" on:click=move |_| { action.dispatch(Unsubscribe { token: token() }); }
                        disabled=move || action.pending().get()>
                        "Unsubscribe"
                    </button>
                }.into_any(),
            }}
        </crate::auth::AuthCard>
    }
}
