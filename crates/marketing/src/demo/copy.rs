//! The words on the demo school's pages: Maya Chen's watercolor studio, written the way a
//! working creator would write them.

use serde_json::{Value, json};

use crate::{
    page_templates,
    sections::{Document, Section, Seo},
};

/// What the pages refer to: media, a course, offers, the opt-in form, the sales page's address.
#[derive(Clone, Debug, Default)]
pub struct Refs {
    /// The welcome video (the hero's video).
    pub video: String,
    /// Watercolor Foundations.
    pub course: String,
    /// Its offers: in full, then three payments.
    pub offers: Vec<String>,
    /// The cheat-sheet opt-in form.
    pub form: String,
    /// When spring enrolment closes (RFC 3339).
    pub closes_at: String,
}

fn s(id: &str, kind: &str, data: Value) -> Section {
    let mut section = page_templates::section(kind, data);
    section.id = id.to_string();
    section
}

fn seo(title: &str, description: &str) -> Seo {
    Seo { title: title.into(), description: description.into(), ..Seo::default() }
}

fn testimonials(heading: &str) -> Section {
    s(
        "stories",
        "testimonials",
        json!({
            "heading": heading,
            "background": "tinted",
            "items": [
                { "quote": "I had bought the paints three times and never opened them. Ten minutes before the kids wake up turned out to be enough: I framed my first landscape in week four.", "name": "Hannah Whitfield", "role": "Nurse, Leeds" },
                { "quote": "Maya's color mixing lesson alone was worth it. My greens stopped looking like pond water and my skies finally glow.", "name": "Carlos Medina", "role": "Architect, Valencia" },
                { "quote": "The feedback on my homework was specific and kind. Nobody had ever told me why my washes went muddy; now I know, and they don't.", "name": "Aiko Tanaka", "role": "Retired teacher, Portland" }
            ]
        }),
    )
}

/// The sales page for Watercolor Foundations.
pub fn sales(r: &Refs) -> Document {
    let sections = vec![
        s(
            "top",
            "hero",
            json!({
                "eyebrow": "Spring enrolment is open",
                "headline": "Paint loose, luminous watercolors in ten minutes a day",
                "subheading": "Watercolor Foundations takes you from a blank page to your first framed landscape in four weeks: clean washes, colors that glow instead of going muddy, and personal feedback from Maya on every assignment.",
                "button_label": "Enrol now",
                "button_url": "#pricing",
                "secondary_label": "See the lessons",
                "secondary_url": "#curriculum",
                "video": r.video,
                "layout": "split",
                "background": "dark"
            }),
        ),
        s(
            "why",
            "features",
            json!({
                "heading": "Why it finally clicks this time",
                "subheading": "Most beginners quit watercolor because nobody explains water. This course is built around it.",
                "columns": "3",
                "background": "light",
                "items": [
                    { "icon": "clock", "title": "Ten minutes a day", "text": "Every lesson ends with one small exercise you can finish before your coffee gets cold." },
                    { "icon": "zap", "title": "Water first, then paint", "text": "Learn to read the shine on the paper and you will know exactly when to drop in color." },
                    { "icon": "heart", "title": "Six tubes, endless color", "text": "A limited palette and 36 mixes that work together, so every painting looks harmonious." },
                    { "icon": "users", "title": "Feedback from Maya", "text": "Post your homework and get a personal note on what to try next, usually within a day." },
                    { "icon": "book-open", "title": "Yours for life", "text": "Watch the lessons as often as you like, on your phone or your laptop, with every update included." },
                    { "icon": "award", "title": "A real painting in week four", "text": "The final project is a glowing coastal landscape, designed to be framed and given away." }
                ]
            }),
        ),
        s(
            "curriculum",
            "curriculum",
            json!({
                "heading": "What you will paint, week by week",
                "subheading": "Short, focused lessons with a downloadable handout and a small assignment each.",
                "course": r.course,
                "show_lessons": true,
                "background": "tinted"
            }),
        ),
        s(
            "maya",
            "instructor",
            json!({
                "heading": "Your teacher",
                "name": "Maya Chen",
                "role": "Watercolorist and founder of Bloom Watercolor Studio",
                "bio": "<p>Maya has painted in watercolor for nineteen years and taught more than 4,000 adults, most of whom had not held a brush since school. Her paintings of the Northern California coast hang in private collections in eleven countries.</p><p>She teaches the way she learned: fewer rules, more water, and a lot of permission to make happy accidents.</p>",
                "background": "light"
            }),
        ),
        testimonials("Painters who started exactly where you are"),
        s(
            "pricing",
            "pricing",
            json!({
                "heading": "Start painting this week",
                "subheading": "One course, lifetime access, and Maya's feedback on every assignment. Pay in full or in three monthly payments.",
                "offers": r.offers,
                "button_label": "Enrol now",
                "background": "light"
            }),
        ),
        s(
            "guarantee",
            "guarantee",
            json!({
                "heading": "Paint for 30 days, risk free",
                "text": "Do the first two weeks of lessons. If you don't see a real difference in your washes and colors, write to us within 30 days and we will refund every cent. No forms, no questions.",
                "days": 30,
                "background": "tinted"
            }),
        ),
        s(
            "closes",
            "countdown",
            json!({
                "heading": "Spring enrolment closes soon",
                "subheading": "The spring group starts together, with live critiques every Thursday. Join before the doors close.",
                "ends_at": r.closes_at,
                "button_label": "Save my place",
                "button_url": "#pricing",
                "expired_text": "Spring enrolment has closed. Join the list to hear when the summer group opens.",
                "background": "brand"
            }),
        ),
        s(
            "faq",
            "faq",
            json!({
                "heading": "Questions, answered",
                "background": "light",
                "items": [
                    { "question": "I have never painted. Is this for me?", "answer": "Yes. Most students start with no experience at all. The first lesson is about holding the brush and loading it with water." },
                    { "question": "What materials do I need?", "answer": "Six tubes of paint, two brushes and a pad of cold-press paper, about $60 in total. The supply list in lesson one has budget and premium choices." },
                    { "question": "How long do I have access?", "answer": "For life, including every update Maya makes to the course." },
                    { "question": "How does the payment plan work?", "answer": "Three monthly payments of $75. You get the whole course from the first payment." },
                    { "question": "What if I fall behind?", "answer": "There is no behind. Lessons stay open and Maya answers homework whenever you post it." },
                    { "question": "Can I get a refund?", "answer": "Within 30 days, for any reason. Just reply to your receipt email." }
                ]
            }),
        ),
        s(
            "last-call",
            "cta",
            json!({
                "heading": "Your first luminous wash is ten minutes away",
                "subheading": "Join more than 4,000 painters who learned to let the water do the work.",
                "button_label": "Enrol in Watercolor Foundations",
                "button_url": "#pricing",
                "background": "dark"
            }),
        ),
    ];
    Document {
        sections,
        seo: seo(
            "Watercolor Foundations: loose, luminous painting in 10 minutes a day",
            "A four-week online watercolor course for adult beginners: clean washes, glowing color mixing and your first framed landscape, with personal feedback from Maya Chen.",
        ),
    }
}

/// The school's home page.
pub fn home(r: &Refs, sales: &str, lead: &str) -> Document {
    let sections = vec![
        s(
            "top",
            "hero",
            json!({
                "eyebrow": "Bloom Watercolor Studio",
                "headline": "Watercolor for busy adults, ten minutes at a time",
                "subheading": "Online courses, a friendly studio community and a teacher who answers. Start with our free color mixing cheat sheet or dive into Foundations.",
                "button_label": "Explore Foundations",
                "button_url": sales,
                "secondary_label": "Get the free cheat sheet",
                "secondary_url": lead,
                "video": r.video,
                "layout": "centered",
                "background": "dark"
            }),
        ),
        s(
            "how",
            "features",
            json!({
                "heading": "How the studio works",
                "columns": "3",
                "background": "light",
                "items": [
                    { "icon": "book-open", "title": "Short video lessons", "text": "Every technique broken into lessons you can watch and try in one sitting." },
                    { "icon": "star", "title": "Assignments with feedback", "text": "Post what you paint and get a personal, practical note from Maya or Diego." },
                    { "icon": "users", "title": "A studio to belong to", "text": "Members share work, join monthly live critiques and cheer each other on." }
                ]
            }),
        ),
        s(
            "about",
            "text",
            json!({
                "heading": "Made for people who never thought they could paint",
                "body": "<p>Bloom started in 2019 as a Thursday-night class at a Berkeley library. Today it is an online studio for thousands of painters in more than forty countries, most of whom started with a brush they had not touched since school.</p><p>Our promise is simple: small daily practice, honest feedback, and paintings you are proud to hang.</p>",
                "background": "tinted"
            }),
        ),
        testimonials("What our painters say"),
        s(
            "cheat-sheet",
            "optin",
            json!({
                "heading": "Free: the color mixing cheat sheet",
                "subheading": "The six-tube palette and the 36 mixes Maya uses every day, on one printable page.",
                "form": r.form,
                "background": "tinted"
            }),
        ),
        s(
            "start",
            "cta",
            json!({
                "heading": "Ready for your first real painting?",
                "subheading": "Watercolor Foundations: four weeks, ten minutes a day, one framed landscape.",
                "button_label": "See the course",
                "button_url": sales,
                "background": "brand"
            }),
        ),
    ];
    Document {
        sections,
        seo: seo(
            "Bloom Watercolor Studio: online watercolor courses for adults",
            "Learn loose, luminous watercolor in ten minutes a day with Maya Chen: online courses, personal feedback and a friendly studio community.",
        ),
    }
}

/// The lead-magnet opt-in page.
pub fn lead_magnet(r: &Refs) -> Document {
    let sections = vec![
        s(
            "top",
            "hero",
            json!({
                "eyebrow": "Free printable",
                "headline": "Stop mixing mud: the color mixing cheat sheet",
                "subheading": "Six tubes, 36 clean mixes and the ratios behind them, on one page you can pin above your desk.",
                "button_label": "Send it to me",
                "button_url": "#get-it",
                "layout": "centered",
                "background": "tinted"
            }),
        ),
        s(
            "inside",
            "features",
            json!({
                "heading": "What is inside",
                "columns": "3",
                "background": "light",
                "items": [
                    { "icon": "check", "title": "The six-tube palette", "text": "The exact paints Maya uses, with cheaper student-grade swaps." },
                    { "icon": "check", "title": "36 tested mixes", "text": "Greens for foliage, violets for shadows and the perfect neutral grey." },
                    { "icon": "check", "title": "Three rules against mud", "text": "Why colors go dull, and the three habits that keep them glowing." }
                ]
            }),
        ),
        s(
            "get-it",
            "optin",
            json!({
                "heading": "Where should we send your cheat sheet?",
                "subheading": "It arrives in a minute or two. You will also get Maya's weekly painting tip; unsubscribe any time.",
                "form": r.form,
                "background": "tinted"
            }),
        ),
        s(
            "faq",
            "faq",
            json!({
                "heading": "Good to know",
                "background": "light",
                "items": [
                    { "question": "Is it really free?", "answer": "Yes. It is a PDF you can print as often as you like." },
                    { "question": "Which paints do I need?", "answer": "Any brand works; the sheet lists pigment numbers so you can match what you own." }
                ]
            }),
        ),
    ];
    Document {
        sections,
        seo: seo(
            "Free watercolor color mixing cheat sheet",
            "Download Maya Chen's free printable color mixing cheat sheet: a six-tube palette and 36 clean watercolor mixes.",
        ),
    }
}

/// The page opt-ins arrive at.
pub fn thank_you(sales: &str) -> Document {
    let sections = vec![
        s(
            "top",
            "hero",
            json!({
                "eyebrow": "You're in",
                "headline": "Check your inbox: your cheat sheet is on its way",
                "subheading": "It comes from Maya at Bloom Watercolor Studio. If it is not there in five minutes, look in your promotions or spam folder.",
                "layout": "centered",
                "background": "tinted"
            }),
        ),
        s(
            "next",
            "text",
            json!({
                "heading": "Your first ten minutes",
                "body": "<ol><li>Print the sheet, or open it on a tablet next to your palette.</li><li>Mix the three greens in the top row on a scrap of paper.</li><li>Paint one leaf with each. Notice which glows and which goes flat.</li></ol>",
                "background": "light"
            }),
        ),
        s(
            "offer",
            "cta",
            json!({
                "heading": "Want Maya to guide you through the whole palette?",
                "subheading": "Watercolor Foundations turns the cheat sheet into real paintings, with feedback on every assignment. Use SPRING20 for 20% off this week.",
                "button_label": "See Watercolor Foundations",
                "button_url": sales,
                "background": "brand"
            }),
        ),
    ];
    let mut seo = seo("Thank you: your cheat sheet is on its way", "Your free color mixing cheat sheet is on its way.");
    seo.noindex = true;
    Document { sections, seo }
}
