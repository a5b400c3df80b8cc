-- make bench, sales page part: a published sales page of the bench school at /p/sales, made of
-- the sections the "sales page" template starts with (hero, features, curriculum of course-1,
-- instructor, testimonials, pricing with one offer, guarantee, FAQ, call to action), written
-- straight into pages and page_versions as publishing would.
\set ON_ERROR_STOP 1
with school as (select id from tenants where slug = :'bench_slug'),
product as (
  insert into products (tenant_id, id, name, description)
  select id, gen_random_uuid(), 'Watercolour course', 'The sales page''s course' from school
  returning tenant_id, id
),
offer as (
  insert into offers (tenant_id, id, product_id, slug, name, kind, currency, amount)
  select tenant_id, gen_random_uuid(), id, 'sales-page', 'Lifetime access', 'one_time', 'USD', 14900 from product
  returning tenant_id, id
),
doc as (
  select o.tenant_id, jsonb_build_object(
    'seo', jsonb_build_object('title', 'Watercolour in ten minutes a day',
      'description', 'A six-week course that takes you from your first wash to a finished landscape.',
      'image', '', 'noindex', false),
    'sections', jsonb_build_array(
      jsonb_build_object('id', 's1', 'kind', 'hero', 'data', jsonb_build_object(
        'eyebrow', 'New cohort in March', 'headline', 'Paint loose, luminous watercolours in ten minutes a day',
        'subheading', 'Six weeks of short lessons, weekly feedback and a community that paints with you.',
        'button_label', 'Enrol now', 'button_url', '#pricing', 'secondary_label', 'See the lessons',
        'secondary_url', '#curriculum', 'image', '', 'video', '', 'layout', 'split', 'background', 'dark')),
      jsonb_build_object('id', 's2', 'kind', 'features', 'data', jsonb_build_object(
        'heading', 'What you will learn', 'subheading', 'Everything a beginner needs, nothing they do not.',
        'columns', '3', 'background', 'light', 'items', jsonb_build_array(
          jsonb_build_object('icon', 'check', 'title', 'Washes that glow', 'text', 'Flat, graded and variegated washes, and when to use each.'),
          jsonb_build_object('icon', 'clock', 'title', 'Ten minutes a day', 'text', 'Lessons short enough for a lunch break.'),
          jsonb_build_object('icon', 'users', 'title', 'Weekly feedback', 'text', 'Post your painting, get a critique from the instructor.')))),
      jsonb_build_object('id', 's3', 'kind', 'curriculum', 'data', jsonb_build_object(
        'heading', 'The lessons', 'subheading', '', 'show_lessons', true, 'background', 'tinted',
        'course', (select c.id::text from courses c where c.tenant_id = o.tenant_id and c.slug = 'course-1'))),
      jsonb_build_object('id', 's4', 'kind', 'testimonials', 'data', jsonb_build_object(
        'heading', 'Painters like you', 'background', 'light', 'items', jsonb_build_array(
          jsonb_build_object('quote', 'I finally finished a painting I am proud of.', 'name', 'Ana', 'role', 'Nurse', 'photo', ''),
          jsonb_build_object('quote', 'The daily ten minutes changed everything.', 'name', 'Ben', 'role', 'Engineer', 'photo', '')))),
      jsonb_build_object('id', 's5', 'kind', 'pricing', 'data', jsonb_build_object(
        'heading', 'Enrol today', 'subheading', 'Lifetime access, every future lesson included.',
        'offers', jsonb_build_array(o.id::text), 'button_label', 'Enrol now', 'background', 'tinted')),
      jsonb_build_object('id', 's6', 'kind', 'guarantee', 'data', jsonb_build_object(
        'heading', '30-day guarantee', 'text', 'Paint along for a month. Not for you? Every cent back.', 'days', 30,
        'background', 'light')),
      jsonb_build_object('id', 's7', 'kind', 'faq', 'data', jsonb_build_object(
        'heading', 'Questions', 'background', 'light', 'items', jsonb_build_array(
          jsonb_build_object('question', 'Do I need experience?', 'answer', 'No. The first week starts with holding the brush.'),
          jsonb_build_object('question', 'What materials do I need?', 'answer', 'Three tubes of paint, two brushes and a pad of cotton paper.')))),
      jsonb_build_object('id', 's8', 'kind', 'cta', 'data', jsonb_build_object(
        'heading', 'Your first painting is ten minutes away', 'subheading', '', 'button_label', 'Enrol now',
        'button_url', '#pricing', 'background', 'brand'))
    )) as document
  from offer o
),
page as (
  insert into pages (tenant_id, id, slug, title, template, draft, published_version, published_at)
  select tenant_id, gen_random_uuid(), 'sales', 'Watercolour course', 'sales', document, 1, now() from doc
  returning tenant_id, id, title
)
insert into page_versions (tenant_id, page_id, number, title, document)
select p.tenant_id, p.id, 1, p.title, d.document from page p join doc d using (tenant_id);
