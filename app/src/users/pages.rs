use super::api::{list_users, ChangeUserRole, CreateUser, DeactivateUser, LinkUserCustomer, RestoreUser};
use super::{NewUserForm, UserListQuery, UserStatusFilter, UserSummary};
use crate::auth::Role;
use crate::components::{
    field_error, revealed_by_query, use_confirm, use_user, Banner, Confirmation, Field, Reloading, RevealButton,
    SelectField, SubmitButton,
};
use crate::customers::api::customer_options;
use crate::customers::CustomerOption;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use uuid::Uuid;

fn role_options() -> Vec<(String, String)> {
    Role::ALL.iter().map(|r| (r.as_str().to_string(), r.label().to_string())).collect()
}

/// What a role change means, asked before it is made.
fn role_change_question(name: &str, role: Role) -> (String, String, String) {
    let (title, body) = match role {
        Role::Admin => (
            format!("Make {name} an admin?"),
            "Admins see and change everything in this workspace: jobs, customers, hours, and the team and its roles.",
        ),
        Role::Worker => (
            format!("Make {name} a field worker?"),
            "Field workers see only the jobs assigned to them and log their own hours.",
        ),
        Role::Customer => (
            format!("Make {name} a customer?"),
            "Customers see only their own jobs and hours, once linked to a customer record.",
        ),
    };
    (title, body.to_string(), format!("Make {}", role.label().to_lowercase()))
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let status = RwSignal::new(UserStatusFilter::Active);
    let search = RwSignal::new(String::new());
    // Bumped after every change so the list reloads.
    let version = RwSignal::new(0u32);
    let users = Resource::new(
        move || (status.get(), search.get(), version.get()),
        |(status, search, _)| list_users(UserListQuery { status, search, ..Default::default() }),
    );
    let show_form = revealed_by_query("new");
    let notice = RwSignal::new(None::<String>);
    // Customer records to link customer logins to.
    let customers = Resource::new(|| (), |_| customer_options());
    provide_context(customers);

    // True while a new filter's rows load (the old ones stay, dimmed).
    let refreshing = RwSignal::new(false);
    view! {
        <Title text="Team" />
        <div class="page-head">
            <div>
                <h1>"Team"</h1>
                <p class="muted">"Admins, field workers and customer logins of your company."</p>
            </div>
            <div class="row-actions">
                <a class="btn" href="/app/outbox">"Email delivery"</a>
                <a class="btn" href="/app/audit">"Audit log"</a>
                <a class="btn" href="/app/api">"API & webhooks"</a>
                <RevealButton open=show_form key="new" show_label="Add person" hide_label="Close" class="btn btn-primary" />
            </div>
        </div>
        // Always in the page, so a screen reader hears each new notice (a region that
        // appears together with its text is not announced reliably).
        <div role="status" aria-live="polite" data-testid="team-notice">
            {move || notice.get().map(|text| view! { <div class="banner banner-success">{text}</div> })}
        </div>
        <Show when=move || show_form.get()>
            <NewUserPanel on_created=Callback::new(move |user: UserSummary| {
                show_form.set(false);
                notice.set(Some(format!("{} can now sign in as {}.", user.name, user.role.label().to_lowercase())));
                version.update(|v| *v += 1);
            }) />
        </Show>
        <div class="toolbar">
            <input class="search" type="search" placeholder="Search name or email" aria-label="Search people"
                prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev)) />
            <div class="segmented" role="group" aria-label="Show">
                {[UserStatusFilter::Active, UserStatusFilter::Deactivated, UserStatusFilter::All].into_iter().map(|filter| view! {
                    <button class:active=move || status.get() == filter aria-pressed=move || (status.get() == filter).to_string()
                        on:click=move |_| status.set(filter)>
                        {match filter { UserStatusFilter::Active => "Active", UserStatusFilter::Deactivated => "Deactivated", UserStatusFilter::All => "All" }}
                    </button>
                }).collect_view()}
            </div>
        </div>
        <Reloading pending=refreshing>
            <Transition set_pending=refreshing fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    // The rows' customer pickers read the customer list: have it before they
                    // render, in the browser as on the server, or hydration finds other markup.
                    let _ = customers.await;
                    match users.await {
                        Ok(page) if page.users.is_empty() => view! { <p class="muted empty-inline">"Nobody matches."</p> }.into_any(),
                        Ok(page) => view! {
                            <ul class="user-list" data-testid="user-list">
                                {page.users.into_iter().map(|user| view! {
                                    <UserRow user on_changed=Callback::new(move |said: String| {
                                        notice.set(Some(said));
                                        version.update(|v| *v += 1);
                                    }) />
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <div class="banner banner-error">{error.to_string()}</div> }.into_any(),
                    }
                })}
            </Transition>
        </Reloading>
        <crate::notifications::InvitationsSection customers=Signal::derive(customer_list) />
    }
}

#[component]
fn NewUserPanel(on_created: Callback<UserSummary>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Worker.as_str().to_string());
    let password = RwSignal::new(String::new());
    let customer_id = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let action = ServerAction::<CreateUser>::new();
    let customer_choices = Signal::derive(move || {
        let mut choices = vec![(String::new(), "Not linked yet".to_string())];
        choices.extend(customer_list().into_iter().map(|c| (c.id.to_string(), c.name)));
        choices
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(user)) => on_created.run(user),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let customer_id = if role.get() == Role::Customer.as_str() { customer_id.get() } else { String::new() };
        let form = NewUserForm {
            name: name.get(),
            email: email.get(),
            role: role.get(),
            password: password.get(),
            customer_id,
        };
        match form.validate() {
            Ok(_) => {
                failure.set(None);
                action.dispatch(CreateUser { form });
            }
            Err(errors) => failure.set(Some(errors.into())),
        }
    };
    view! {
        <section class="card panel" aria-labelledby="new-user-title">
            <h2 id="new-user-title">"Add a person"</h2>
            <form method="post" action=CreateUser::PATH class="form form-grid" on:submit=on_submit novalidate>
                <Banner failure />
                <Field label="Name" name="name" value=name error=field_error(failure, "name") autocomplete="off" maxlength=120 />
                <Field label="Email" name="email" kind="email" value=email error=field_error(failure, "email") autocomplete="off" />
                <SelectField label="Role" name="role" value=role options=Signal::derive(role_options) error=field_error(failure, "role") />
                <Show when=move || role.get() == Role::Customer.as_str()>
                    <SelectField label="Customer record" name="customer_id" value=customer_id options=customer_choices
                        error=field_error(failure, "customer_id") hint="They see this customer's jobs." />
                </Show>
                <Field label="Initial password" name="password" kind="password" value=password
                    error=field_error(failure, "password") autocomplete="new-password"
                    hint="Share it with them privately; they can change it under Account." />
                <div class="form-actions">
                    <SubmitButton label="Add person" busy_label="Adding…" pending=action.pending() />
                </div>
            </form>
        </section>
    }
}

#[component]
fn UserRow(user: UserSummary, on_changed: Callback<String>) -> impl IntoView {
    let me = use_user();
    let is_me = me.user_id == user.id;
    let role = RwSignal::new(user.role.as_str().to_string());
    let failure = RwSignal::new(None::<AppError>);
    let change_role = ServerAction::<ChangeUserRole>::new();
    let deactivate = ServerAction::<DeactivateUser>::new();
    let restore = ServerAction::<RestoreUser>::new();
    let link = ServerAction::<LinkUserCustomer>::new();
    let original_role = user.role.as_str().to_string();
    let linked = user.customer_id.map(|id| id.to_string()).unwrap_or_default();
    // The customer menu's choice; applied by its button, never by the menu itself.
    let link_choice = RwSignal::new(linked.clone());
    let confirm = use_confirm();

    // Each change says what happened (announced by the page's status region).
    let on_answer = move |value: MappedSignal<Option<Result<UserSummary, AppError>>>,
                          said: fn(&UserSummary) -> String| {
        Effect::new(move |_| match value.get() {
            Some(Ok(changed)) => {
                failure.set(None);
                on_changed.run(said(&changed));
            }
            Some(Err(error)) => failure.set(Some(error)),
            None => {}
        });
    };
    on_answer(change_role.value(), |u| format!("{}’s role is now {}.", u.name, u.role.label()));
    on_answer(deactivate.value(), |u| format!("{} was deactivated and signed out everywhere.", u.name));
    on_answer(restore.value(), |u| format!("{} was restored and can sign in again.", u.name));
    on_answer(link.value(), |u| match &u.customer_name {
        Some(customer) => format!("{} now sees the jobs of {customer}.", u.name),
        None => format!("{} is no longer linked to a customer.", u.name),
    });
    let id = user.id;
    let initials: String = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    view! {
        <li class="user-row" class:inactive=!user.active data-email=user.email.clone()>
            <span class="avatar" aria-hidden="true">{initials}</span>
            <div class="user-main">
                <span class="user-row-name">{user.name.clone()} {is_me.then(|| view! { <span class="muted">" (you)"</span> })}</span>
                <span class="muted user-row-email">{user.email.clone()}</span>
                {(user.role == Role::Customer && user.active).then(|| view! {
                    <label class="link-select">
                        <span class="muted">"Customer:"</span>
                        <select class="compact" aria-label=format!("Customer record of {}", user.name)
                            on:change=move |ev| link_choice.set(event_target_value(&ev))>
                            <option value="" selected=linked.is_empty()>"Not linked"</option>
                            {let linked = linked.clone(); move || customer_list().into_iter().map(|c| {
                                let selected = c.id.to_string() == linked;
                                view! { <option value=c.id.to_string() selected=selected>{c.name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    {
                        let linked = linked.clone();
                        move || (link_choice.get() != linked).then(|| view! {
                            <button type="button" class="btn btn-small btn-primary" disabled=move || link.pending().get()
                                on:click=move |_| {
                                    let customer_id = link_choice.get_untracked().parse::<Uuid>().ok();
                                    link.dispatch(LinkUserCustomer { user_id: id, customer_id });
                                }>
                                {move || if link.pending().get() { "Saving…" } else { "Save link" }}
                            </button>
                        })
                    }
                })}
            </div>
            <div class="user-actions">
                {if user.active && !is_me {
                    view! {
                        <label class="sr-only" for=format!("role-{id}")>{format!("Role of {}", user.name)}</label>
                        // Choosing in the menu (arrow keys included) changes nothing: the
                        // button next to it asks, and only then is the role changed.
                        <select id=format!("role-{id}") class="compact" prop:value=move || role.get()
                            on:change=move |ev| role.set(event_target_value(&ev))>
                            {role_options().into_iter().map(|(v, label)| {
                                let selected = v == user.role.as_str();
                                view! { <option value=v selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                        {
                            let (original_role, name) = (original_role.clone(), user.name.clone());
                            move || (role.get() != original_role).then(|| {
                                let (original_role, name) = (original_role.clone(), name.clone());
                                view! {
                                    <button type="button" class="btn btn-small btn-primary" disabled=move || change_role.pending().get()
                                        on:click=move |_| {
                                            let chosen = role.get_untracked();
                                            let Ok(new_role) = Role::parse(&chosen) else { return };
                                            let (title, body, label) = role_change_question(&name, new_role);
                                            let original_role = original_role.clone();
                                            confirm.ask(
                                                Confirmation::new(title, body, label, move || {
                                                    change_role.dispatch(ChangeUserRole { user_id: id, role: chosen.clone() });
                                                })
                                                .on_cancel(move || {
                                                    // Back to the real role; the button goes, the menu keeps the focus.
                                                    role.set(original_role.clone());
                                                    crate::components::focus_if_lost(&format!("role-{id}"));
                                                }),
                                            );
                                        }>
                                        {move || if change_role.pending().get() { "Changing…" } else { "Change role…" }}
                                    </button>
                                }
                            })
                        }
                        <button class="btn btn-small btn-danger-ghost" disabled=move || deactivate.pending().get()
                            on:click={
                                let name = user.name.clone();
                                move |_| confirm.ask(Confirmation::new(
                                    format!("Deactivate {name}?"),
                                    "They are signed out at once and can no longer sign in. Their jobs and hours stay; you can restore them later.",
                                    "Deactivate",
                                    move || { deactivate.dispatch(DeactivateUser { user_id: id }); },
                                ))
                            }>
                            {move || if deactivate.pending().get() { "Deactivating…" } else { "Deactivate…" }}
                        </button>
                    }.into_any()
                } else if user.active {
                    view! { <span class="role-badge">{user.role.label()}</span> }.into_any()
                } else {
                    view! {
                        <span class="role-badge muted-badge">"Deactivated · " {user.role.label()}</span>
                        <button class="btn btn-small" disabled=move || restore.pending().get()
                            on:click=move |_| { restore.dispatch(RestoreUser { user_id: id }); }>
                            "Restore"
                        </button>
                    }.into_any()
                }}
            </div>
            {move || failure.get().map(|e| view! { <p class="field-error row-error" role="alert">{e.to_string()}</p> })}
        </li>
    }
}

/// The customer records loaded by the Team page (empty while loading).
fn customer_list() -> Vec<CustomerOption> {
    use_context::<Resource<Result<Vec<CustomerOption>, AppError>>>()
        .and_then(|r| r.get())
        .and_then(Result::ok)
        .unwrap_or_default()
}
