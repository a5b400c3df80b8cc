# Published pages: the home page, search engines and the page cache.
delivery-home-builder-lead = Your home page is a page you can build, section by section, like a sales page.
delivery-edit-home = Edit your home page
