use leptos::prelude::*;

/// A small line icon (24×24 viewBox, stroke = currentColor), decorative.
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    let path = match name {
        "dashboard" => "M4 13h6V4H4zm0 7h6v-5H4zm10 0h6v-9h-6zm0-16v5h6V4z",
        "jobs" => "M9 6V4h6v2m-11 0h16v13H4zm0 5h16",
        "customers" => "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1m6.5-9a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 19v-1a4 4 0 0 0-3-3.9m-2-11a3.5 3.5 0 0 1 0 6.8",
        "users" => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8m-7 8a7 7 0 0 1 14 0",
        "account" => "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6m7.4-3a7.4 7.4 0 0 0-.1-1.3l2-1.6-2-3.4-2.4 1a7.6 7.6 0 0 0-2.2-1.3L14.3 3h-4l-.4 2.4a7.6 7.6 0 0 0-2.2 1.3l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.6l-2 1.6 2 3.4 2.4-1a7.6 7.6 0 0 0 2.2 1.3l.4 2.4h4l.4-2.4a7.6 7.6 0 0 0 2.2-1.3l2.4 1 2-3.4-2-1.6q.1-.6.1-1.3",
        "logout" => "M15 4h4v16h-4M10 8l-4 4 4 4m-4-4h11",
        "bell" => "M6 17V11a6 6 0 0 1 12 0v6l2 2H4zm4 3a2 2 0 0 0 4 0",
        "mail" => "M3 6h18v12H3zm0 0l9 7 9-7",
        "check" => "M5 12l5 5 9-10",
        "clock" => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18m0-14v5l3 2",
        "calendar" => "M4 6h16v14H4zm0 4h16M8 3v4m8-4v4",
        "chart" => "M4 20h16M7 16v-5m5 5V6m5 10v-8",
        "approve" => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18m-4-9 3 3 5-6",
        "play" => "M8 5v14l11-7z",
        "pause" => "M8 5h3v14H8zm5 0h3v14h-3z",
        "stop" => "M6 6h12v12H6z",
        "lock" => "M6 11h12v9H6zm2 0V8a4 4 0 0 1 8 0v3",
        _ => "M12 12h.01",
    };
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}
