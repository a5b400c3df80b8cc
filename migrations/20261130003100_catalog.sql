-- The catalog's admin pages count sales per offer and uses per coupon from orders.
create index orders_offer on orders (tenant_id, offer_id);
create index orders_coupon on orders (tenant_id, coupon_id) where coupon_id is not null;
