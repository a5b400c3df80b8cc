# Programa de afiliados: atribución (cupones vinculados a un afiliado).
affiliates-coupon-affiliate = Afiliado
affiliates-coupon-affiliate-lead = Los pedidos con este código cuentan como ventas del afiliado, aunque no hayan hecho clic en su enlace: ideal para códigos que se mencionan en un pódcast o un video.
affiliates-coupon-affiliate-label = Atribuir las ventas a
affiliates-coupon-affiliate-none = Nadie (un cupón normal)
affiliates-coupon-affiliate-empty = Todavía no hay afiliados aprobados. Cuando apruebes uno, podrás vincular este código.
affiliates-coupon-affiliate-manage = Gestionar afiliados
affiliates-coupon-affiliate-unknown = Elige uno de tus afiliados aprobados, o nadie.
