-- Device trust (docs/device-trust.md).
-- Networks (CIDR blocks, IPv4 or IPv6) a device may connect from; null or empty = no restriction of its own, the
-- agency's list applies; null or empty there too = any source.
alter table agencies add column allowed_sources text[];
alter table devices add column allowed_sources text[];

-- How far each stored position can be trusted to come from its device: AUTHENTICATED (Kuzet with frame MAC),
-- LOGIN_AUTHENTICATED (Kuzet, key-checked login but frames protected by a CRC only), IMEI_ONLY (GT06, Watch).
-- Null for rows stored before this version.
alter table positions add column assurance text;
