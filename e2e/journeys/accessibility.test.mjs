// Axe on the pages everyone meets first. Critical problems fail; the rest are printed.
import {
  checkA11y,
  expectText,
  journey,
  logIn,
  platformUrl,
  schoolUrl,
  startSchool,
  unique,
  visit,
} from '../lib/harness.mjs';

const slug = unique('a11y');
const school = {
  name: 'Clearview Language School',
  slug,
  owner: { name: 'Noor Haddad', email: `noor@${slug}.test`, password: 'readable-pages-2026' },
};

journey('accessibility', ({ step, open }) => {
  let page;

  step('the platform landing page', async () => {
    page = await open();
    await visit(page, platformUrl('/'));
    await checkA11y(page, 'landing');
  });

  step('a school\'s login page', async () => {
    const creator = await open();
    await startSchool(creator, school);
    await creator.context().close();
    await visit(page, schoolUrl(slug, '/login'));
    await checkA11y(page, 'login');
  });

  step('a school\'s signup page', async () => {
    const visitor = await open();
    await visit(visitor, schoolUrl(slug, '/signup'));
    await checkA11y(visitor, 'signup');
    await visitor.context().close();
  });

  step('the admin dashboard', async () => {
    page = await open();
    await logIn(page, slug, school.owner.email, school.owner.password, '/admin');
    await expectText(page, `Welcome, ${school.owner.name}`, 'admin dashboard');
    await checkA11y(page, 'admin dashboard');
  });
});
