# Páginas publicadas: la página de inicio, los buscadores y la caché de páginas.
delivery-home-builder-lead = Tu página de inicio es una página que puedes construir, sección a sección, como una página de ventas.
delivery-edit-home = Edita tu página de inicio
