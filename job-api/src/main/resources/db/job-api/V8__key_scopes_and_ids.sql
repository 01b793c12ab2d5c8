-- Keys managed through the admin API (/v1/admin): a public id to name a key by (the hash stays internal), and the
-- scope of a key: read < submit < admin, each including the ones before. Existing keys keep what they could do:
-- read and submit for their tenant.
ALTER TABLE api_keys
    ADD COLUMN id    uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    ADD COLUMN scope text NOT NULL DEFAULT 'submit' CHECK (scope IN ('read', 'submit', 'admin'));
