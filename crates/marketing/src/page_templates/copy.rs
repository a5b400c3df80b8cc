//! The six templates' sections and copy: persuasive, ready to publish, written to be replaced.

use chrono::{DurationRound, TimeDelta, Utc};
use serde_json::{Value, json};

use super::section;
use crate::sections::Section;

fn items(list: &[(&str, &str, &str)]) -> Value {
    Value::Array(list.iter().map(|(icon, title, text)| json!({ "icon": icon, "title": title, "text": text })).collect())
}

fn faq(list: &[(&str, &str)]) -> Value {
    Value::Array(list.iter().map(|(q, a)| json!({ "question": q, "answer": a })).collect())
}

/// A week from now, on the hour (a sensible first date for a countdown).
fn next_week() -> String {
    let at = Utc::now() + TimeDelta::days(7);
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at).to_rfc3339()
}

pub(super) fn sales_page(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "Enrolment is open",
                "headline": title,
                "subheading": "A step-by-step course that takes you from first attempt to confident results, with lessons you can follow at your own pace and feedback when you need it.",
                "button_label": "Enrol now", "button_url": "#pricing",
                "secondary_label": "See what's inside", "secondary_url": "#curriculum",
                "layout": "split", "background": "dark",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "Everything you need to make real progress",
                "subheading": "No filler, no guesswork: a clear path and the support to walk it.",
                "items": items(&[
                    ("book-open", "Lessons that build on each other", "Short, focused videos and worksheets, in the order that makes each new skill easy."),
                    ("clock", "Learn on your schedule", "Lifetime access on any device. Pause, rewatch and come back whenever you like."),
                    ("users", "A community that has your back", "Ask questions, share your work and learn from students a step ahead of you."),
                    ("award", "A certificate when you finish", "Show what you've achieved with a certificate you can share."),
                    ("zap", "Quick wins from day one", "Every module ends with a practical exercise, so you see results straight away."),
                    ("heart", "Taught with care", "Clear explanations, honest feedback and no jargon."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "curriculum",
            json!({
                "heading": "What you'll learn",
                "subheading": "Module by module, the exact path we'll take together.",
                "show_lessons": true, "background": "tinted",
            }),
        ),
        section(
            "instructor",
            json!({
                "heading": "Your instructor",
                "name": "Your name",
                "role": "Teacher and practitioner",
                "bio": "<p>Tell visitors who you are, how long you've been doing this and why you love teaching it. Mention the students you've helped and the results they got.</p>",
                "background": "light",
            }),
        ),
        section(
            "testimonials",
            json!({
                "heading": "Students love it",
                "items": [
                    { "quote": "I'd tried to learn this on my own for years. Within a month of starting the course, it finally clicked.", "name": "Maria G.", "role": "Student" },
                    { "quote": "Clear, practical and genuinely encouraging. Worth every penny.", "name": "James T.", "role": "Student" },
                    { "quote": "The exercises are the best part: I could see myself improving every week.", "name": "Aiko S.", "role": "Student" },
                ],
                "background": "tinted",
            }),
        ),
        section(
            "pricing",
            json!({
                "heading": "Join today",
                "subheading": "One enrolment, lifetime access, every future update included.",
                "button_label": "Enrol now", "background": "light",
            }),
        ),
        section(
            "guarantee",
            json!({
                "heading": "Try it risk-free",
                "text": "Take the course for 30 days. If it isn't right for you, email us and we'll refund every penny. No questions, no hard feelings.",
                "days": 30, "background": "light",
            }),
        ),
        section(
            "faq",
            json!({
                "heading": "Questions, answered",
                "items": faq(&[
                    ("Who is this course for?", "Anyone who wants a clear, structured way to learn, from complete beginners to those who want to fill in the gaps."),
                    ("How long do I have access?", "For life. You can go through the lessons as many times as you like, including every future update."),
                    ("What if I fall behind?", "You can't: there are no deadlines. Learn at the pace that suits you."),
                    ("Can I get a refund?", "Yes. If the course isn't right for you, ask within 30 days for a full refund."),
                ]),
                "background": "tinted",
            }),
        ),
        section(
            "cta",
            json!({
                "heading": "Ready to start?",
                "subheading": "Join today and take your first lesson in the next five minutes.",
                "button_label": "Enrol now", "button_url": "#pricing", "background": "brand",
            }),
        ),
    ]
}

pub(super) fn webinar(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "Free live training",
                "headline": title,
                "subheading": "Join us live for an hour of practical teaching, followed by open questions. Save your seat: places are limited.",
                "button_label": "Save my seat", "button_url": "#register",
                "layout": "centered", "background": "dark",
            }),
        ),
        section(
            "countdown",
            json!({
                "heading": "We go live in",
                "subheading": "Can't make it? Register anyway and we'll send you the replay.",
                "ends_at": next_week(),
                "button_label": "Save my seat", "button_url": "#register",
                "expired_text": "This training has taken place. Register below to be told about the next one.",
                "background": "brand",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "In this free training you'll discover",
                "items": items(&[
                    ("check", "The three mistakes that hold most people back", "and the simple changes that fix them."),
                    ("check", "A step-by-step method you can use the same day", "explained with real examples."),
                    ("check", "How to keep going when motivation runs out", "with a routine that fits a busy life."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "instructor",
            json!({
                "heading": "Your host",
                "name": "Your name",
                "role": "Teacher and practitioner",
                "bio": "<p>A few lines about you and why visitors should spend an hour with you.</p>",
                "background": "tinted",
            }),
        ),
        section(
            "optin",
            json!({
                "heading": "Save your free seat",
                "subheading": "Enter your email and we'll send you the link to join, plus a reminder before we start.",
                "background": "light",
            }),
        ),
    ]
}

pub(super) fn lead_magnet(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "Free download",
                "headline": title,
                "subheading": "A practical guide you can read in fifteen minutes and use straight away. Free, straight to your inbox.",
                "button_label": "Send me the guide", "button_url": "#get-it",
                "layout": "split", "background": "tinted",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "Inside the guide",
                "items": items(&[
                    ("book-open", "The essentials, on one page", "Everything that matters, with nothing you don't need."),
                    ("list-checks", "A checklist to follow", "Tick off each step and watch your progress add up."),
                    ("star", "Examples that work", "Real before-and-after examples to learn from."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "optin",
            json!({
                "heading": "Get your free copy",
                "subheading": "Tell us where to send it. You can unsubscribe at any time.",
                "background": "tinted",
            }),
        ),
        section(
            "testimonials",
            json!({
                "heading": "What readers say",
                "items": [
                    { "quote": "Short, clear and immediately useful. I printed the checklist and keep it on my desk.", "name": "Sam R.", "role": "Reader" },
                    { "quote": "More helpful than most paid courses I've taken.", "name": "Lucía P.", "role": "Reader" },
                ],
                "background": "light",
            }),
        ),
    ]
}

pub(super) fn thank_you(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "You're in",
                "headline": title,
                "subheading": "Thank you! Check your inbox: your email is on its way. If it isn't there in a few minutes, look in your spam or promotions folder.",
                "layout": "centered", "background": "tinted",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "What happens next",
                "items": items(&[
                    ("check", "1. Open the email", "Confirm your address if we ask you to, so nothing we send gets lost."),
                    ("book-open", "2. Dive in", "Start with the first step today, while it's fresh."),
                    ("heart", "3. Stay in touch", "Reply to any of our emails: a real person reads every one."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "cta",
            json!({
                "heading": "Want to go further?",
                "subheading": "Our courses take you step by step, with lessons you can follow at your own pace.",
                "button_label": "Browse the courses", "button_url": "/courses", "background": "brand",
            }),
        ),
    ]
}

pub(super) fn catalogue(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "Online courses",
                "headline": title,
                "subheading": "Practical courses taught with care. Learn at your own pace, on any device, with a community that helps you keep going.",
                "button_label": "Browse the courses", "button_url": "/courses",
                "secondary_label": "Get the free guide", "secondary_url": "#newsletter",
                "layout": "centered", "background": "dark",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "Why learn with us",
                "items": items(&[
                    ("award", "Taught by practitioners", "Every course comes from years of doing the work, not just reading about it."),
                    ("clock", "Lifetime access", "Buy once, keep it forever, including future updates."),
                    ("users", "A friendly community", "Ask questions and share your progress with other students."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "testimonials",
            json!({
                "heading": "From our students",
                "items": [
                    { "quote": "The best online course I've taken. Clear, well paced and genuinely useful.", "name": "Chris B.", "role": "Student" },
                    { "quote": "I came for one course and stayed for three.", "name": "Noor A.", "role": "Student" },
                    { "quote": "Feedback on my work made all the difference.", "name": "Elena V.", "role": "Student" },
                ],
                "background": "tinted",
            }),
        ),
        section(
            "optin",
            json!({
                "heading": "Free lessons in your inbox",
                "subheading": "One practical tip a week. No spam, unsubscribe in one click.",
                "background": "light",
            }),
        ),
        section(
            "cta",
            json!({
                "heading": "Find the course that's right for you",
                "button_label": "See all courses", "button_url": "/courses", "background": "brand",
            }),
        ),
    ]
}

pub(super) fn coming_soon(title: &str) -> Vec<Section> {
    vec![
        section(
            "hero",
            json!({
                "eyebrow": "Coming soon",
                "headline": title,
                "subheading": "Something new is on its way. Join the waiting list to be the first to know, and get an early-bird price reserved for the list.",
                "button_label": "Join the waiting list", "button_url": "#waitlist",
                "layout": "centered", "background": "dark",
            }),
        ),
        section(
            "countdown",
            json!({
                "heading": "Doors open in",
                "ends_at": next_week(),
                "expired_text": "Doors are open! Join the list below and we'll send you the link.",
                "background": "brand",
            }),
        ),
        section(
            "features",
            json!({
                "heading": "Why join the list",
                "items": items(&[
                    ("star", "Early-bird price", "A launch discount only for people on the list."),
                    ("zap", "First access", "Get in before the doors open to everyone else."),
                    ("gift", "A free preview", "A sneak peek at the first lesson while you wait."),
                ]),
                "columns": "3", "background": "light",
            }),
        ),
        section(
            "optin",
            json!({
                "heading": "Join the waiting list",
                "subheading": "One email when the doors open. Nothing else.",
                "background": "tinted",
            }),
        ),
    ]
}
