# Affiliate program: attribution (coupons tied to an affiliate).
affiliates-coupon-affiliate = Affiliate
affiliates-coupon-affiliate-lead = Orders with this code count as the affiliate’s sales, even without a click on their link — handy for codes read out on a podcast or a video.
affiliates-coupon-affiliate-label = Credit sales to
affiliates-coupon-affiliate-none = Nobody (a regular coupon)
affiliates-coupon-affiliate-empty = No approved affiliates yet. Once you approve one, you can tie this code to them.
affiliates-coupon-affiliate-manage = Manage affiliates
affiliates-coupon-affiliate-unknown = Choose one of your approved affiliates, or nobody.
