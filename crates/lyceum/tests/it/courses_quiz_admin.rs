//! The quiz editor (settings, questions of every kind, validation, reorder, delete), the
//! statistics page, and who may reach them: staff of the school only, 404 from another school.

use courses::quiz::{
    model::{Settings, Spec},
    store as quiz_store,
};
use identity::Role;
use reqwest::StatusCode;

use crate::{
    courses_quiz::{answer, attempts, every_kind, quiz_course, student, submit},
    courses_support::enroll,
    support::{PASSWORD, TestApp, location},
};

#[tokio::test]
async fn the_owner_writes_questions_and_bad_input_comes_back_with_a_message() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (c, lesson, _) = quiz_course(&app, &acme, Settings::default(), vec![]).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let base = format!("/admin/courses/{}/lessons/{}/quiz", c.course.id, lesson.id);

    let (status, html) = owner.page(&base).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No questions yet") && html.contains("Passing score"), "{html}");
    for kind in ["single", "multiple", "true_false", "short", "numeric", "matching", "ordering"] {
        let (status, form) = owner.page(&format!("{base}/questions/new?kind={kind}")).await;
        assert_eq!(status, StatusCode::OK, "{kind}");
        assert!(form.contains("name=\"prompt\""), "{kind}");
    }
    assert_eq!(owner.get(&format!("{base}/questions/new?kind=essay")).await.status(), StatusCode::NOT_FOUND);

    let new = format!("{base}/questions/new");
    let res = owner
        .post_form(
            &new,
            &[
                ("kind", "single"),
                ("prompt", "Widest lens?"),
                ("points", "2"),
                ("row.0.text", "14 mm"),
                ("row.1.text", "50 mm"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Mark the right answer.") && html.contains("value=\"14 mm\"") && html.contains("Widest lens?"),
        "{html}"
    );
    let res = owner
        .post_form(&new, &[("kind", "single"), ("prompt", "Widest lens?"), ("points", "2"), ("row.0.text", "14 mm")])
        .await;
    assert!(res.text().await.unwrap().contains("Add at least two answers."));
    let res =
        owner.post_form(&new, &[("kind", "numeric"), ("prompt", "Speed?"), ("points", "1"), ("answer", "fast")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Enter the right answer as a number"));
    let res = owner.post_form(&new, &[("kind", "short"), ("prompt", ""), ("points", "0"), ("accepted", "")]).await;
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Write the question.")
            && html.contains("Give it from 1 to 100 points.")
            && html.contains("Add at least one accepted answer.")
    );
    let more =
        owner.post_form(&new, &[("kind", "ordering"), ("prompt", "Order"), ("row.0.text", "a"), ("more", "1")]).await;
    assert_eq!(more.status(), StatusCode::OK);
    assert!(more.text().await.unwrap().contains("name=\"row.5.text\""), "more rows, nothing saved");

    let res = owner
        .post_form(
            &new,
            &[
                ("kind", "single"),
                ("prompt", "Widest lens?"),
                ("points", "2"),
                ("row.0.text", "14 mm"),
                ("row.1.text", "50 mm"),
                ("correct", "0"),
                ("explanation", "Short focal length.<script>x()</script>"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap_or_default());
    for fields in [
        &[("kind", "true_false"), ("prompt", "Light bends."), ("points", "1"), ("answer", "true")][..],
        &[
            ("kind", "matching"),
            ("prompt", "Match"),
            ("points", "1"),
            ("row.0.text", "Av"),
            ("row.0.right", "Aperture"),
            ("row.1.text", "Tv"),
            ("row.1.right", "Shutter"),
        ][..],
    ] {
        assert_eq!(owner.post_form(&new, fields).await.status(), StatusCode::SEE_OTHER);
    }
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let qs = quiz_store::questions(&mut tx, lesson.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(qs.iter().map(|q| q.prompt.as_str()).collect::<Vec<_>>(), ["Widest lens?", "Light bends.", "Match"]);
    assert_eq!(qs[0].points, 2);
    assert_eq!(qs[0].explanation_html, "Short focal length.");
    let Spec::Matching { pairs } = &qs[2].spec else { panic!("matching") };
    assert!(pairs.iter().all(|p| p.id != p.right_id));

    // Edit keeps the choices' ids; move; delete.
    let edit = format!("{base}/questions/{}", qs[0].id);
    let (_, form) = owner.page(&edit).await;
    assert!(form.contains("value=\"14 mm\"") && form.contains("checked"));
    let Spec::Single { choices } = &qs[0].spec else { panic!("single") };
    let res = owner
        .post_form(
            &edit,
            &[
                ("kind", "single"),
                ("prompt", "Which lens is widest?"),
                ("points", "3"),
                ("row.0.id", &choices[0].id),
                ("row.0.text", "14 mm"),
                ("row.1.id", &choices[1].id),
                ("row.1.text", "50 mm"),
                ("correct", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = owner.post_form(&format!("{base}/questions/{}/move", qs[2].id), &[("direction", "up")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        owner.post_form(&format!("{base}/questions/{}/delete", qs[1].id), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let after = quiz_store::questions(&mut tx, lesson.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(after.iter().map(|q| q.prompt.as_str()).collect::<Vec<_>>(), ["Which lens is widest?", "Match"]);
    assert_eq!(after[0].points, 3);
    let Spec::Single { choices: kept } = &after[0].spec else { panic!("single") };
    assert_eq!(kept[0].id, choices[0].id);
    let (_, list) = owner.page(&base).await;
    assert!(list.contains("Which lens is widest?") && list.contains("Matching") && !list.contains("Light bends."));
}

#[tokio::test]
async fn quiz_settings_are_checked_and_saved() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let (c, lesson, _) = quiz_course(&app, &acme, Settings::default(), every_kind()).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let base = format!("/admin/courses/{}/lessons/{}/quiz", c.course.id, lesson.id);
    let res = owner
        .post_form(
            &base,
            &[
                ("passing_percent", "120"),
                ("attempts_allowed", "0"),
                ("time_limit_minutes", "ten"),
                ("show_answers", "never"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("Enter a passing score from 0 to 100.") && html.contains("Enter a number of attempts"));
    assert!(html.contains("value=\"120\"") && html.contains("value=\"ten\""), "what was typed is kept");
    let res = owner
        .post_form(
            &base,
            &[
                ("passing_percent", "80"),
                ("attempts_allowed", "2"),
                ("time_limit_minutes", "15"),
                ("pool_size", "5"),
                ("show_answers", "passed"),
                ("shuffle_questions", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), base);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    let s = quiz_store::settings(&mut tx, lesson.id).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        s,
        Settings {
            passing_percent: 80,
            attempts_allowed: Some(2),
            shuffle_questions: true,
            shuffle_answers: false,
            time_limit_minutes: Some(15),
            show_answers: "passed".into(),
            pool_size: Some(5),
        }
    );
    let (_, html) = owner.page(&base).await;
    assert!(html.contains("Quiz settings saved."));
}

#[tokio::test]
async fn statistics_count_attempts_passes_and_the_most_common_wrong_answer() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let settings = Settings { show_answers: "never".into(), ..Settings::default() };
    let (c, lesson, questions) = quiz_course(&app, &acme, settings, every_kind()).await;
    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let stats = format!("/admin/courses/{}/lessons/{}/quiz/stats", c.course.id, lesson.id);
    let (status, empty) = owner.page(&stats).await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty.contains("No attempts yet"));

    let page = format!("/learn/{}/{}", c.course.slug, lesson.id);
    // Sam: all right (100). Ann: all wrong (0), then all right but the single choice (85).
    let (sam, s) = student(&app, &acme, "Sam Student", "sam@acme.test").await;
    let (ann, a) = student(&app, &acme, "Ann Learner", "ann@acme.test").await;
    for (user, b, rounds) in [(&sam, &s, vec![true]), (&ann, &a, vec![false, true])] {
        enroll(&app, &acme, user.id, &c.course).await;
        for right in rounds {
            b.post_form(&format!("{page}/quiz/start"), &[]).await;
            let attempt = attempts(&app, &acme, &lesson, user).await.pop().unwrap();
            let fields: Vec<_> = questions
                .iter()
                .enumerate()
                .flat_map(|(i, q)| answer(q, right && !(i == 0 && user.id == ann.id)))
                .collect();
            submit(b, &page, &attempt, &fields).await;
        }
    }
    let (_, html) = a.page(&page).await;
    assert!(!html.contains("Right answer:") && !html.contains("299792"), "answers are never shown with this setting");

    let (status, html) = owner.page(&stats).await;
    assert_eq!(status, StatusCode::OK);
    let text = html.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in ["Sam Student", "Ann Learner", "sam@acme.test", "Attempt 2", "85%", "100%", "0%"] {
        assert!(text.contains(want), "{want} in {text}");
    }
    assert!(text.contains(">3</p>"), "three attempts: {text}");
    assert!(text.contains(">67%</p>"), "two of three passed");
    assert!(text.contains(">62%</p>"), "average of 100, 0 and 85 rounds to 62");
    assert!(text.contains("<span class=\"tabular-nums\">33%</span>"), "the single choice was right once in three");
    assert!(text.contains("50 mm"), "its most common wrong answer");
    assert!(text.contains("vienna"), "the short answer's wrong answer, as compared");

    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    assert_eq!(student.get(&stats).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_editor_and_statistics_are_for_this_schools_staff_only() {
    let app = TestApp::new().await;
    let acme = app.school("acme").await;
    let globex = app.school("globex").await;
    let (c, lesson, questions) = quiz_course(&app, &acme, Settings::default(), every_kind()).await;
    let base = format!("/admin/courses/{}/lessons/{}/quiz", c.course.id, lesson.id);
    let q = format!("{base}/questions/{}", questions[0].id);

    let other = app.browser("globex");
    other.login(&globex.owner_email, PASSWORD).await;
    for path in [base.clone(), format!("{base}/stats"), format!("{base}/questions/new?kind=single"), q.clone()] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for path in [base.clone(), format!("{base}/questions/new"), q.clone(), format!("{q}/delete"), format!("{q}/move")] {
        let res = other
            .post_form(
                &path,
                &[
                    ("kind", "true_false"),
                    ("prompt", "x"),
                    ("points", "1"),
                    ("answer", "true"),
                    ("passing_percent", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
    }

    let owner = app.browser("acme");
    owner.login(&acme.owner_email, PASSWORD).await;
    let intro = c.lesson("Intro");
    let not_quiz = format!("/admin/courses/{}/lessons/{}/quiz", c.course.id, intro.id);
    assert_eq!(owner.get(&not_quiz).await.status(), StatusCode::NOT_FOUND, "a text lesson has no quiz");
    let elsewhere = format!("{base}/questions/{}", uuid::Uuid::now_v7());
    assert_eq!(owner.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);

    app.user(&acme, "Sam", "sam@acme.test", Role::Student).await;
    let student = app.browser("acme");
    student.login("sam@acme.test", PASSWORD).await;
    assert_eq!(student.get(&base).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(student.post_form(&format!("{q}/delete"), &[]).await.status(), StatusCode::FORBIDDEN);
    let mut tx = app.state.db.tenant(acme.school.id).await.unwrap();
    assert_eq!(quiz_store::questions(&mut tx, lesson.id).await.unwrap().len(), 7);
    tx.commit().await.unwrap();
}
