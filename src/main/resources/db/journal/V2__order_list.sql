-- Protective orders resting on the exchange: the legs of one OCO share the list's client id (listClientOrderId),
-- by which the list is cancelled and adopted again after a restart. Null for an order outside a list.
ALTER TABLE journal_order ADD COLUMN list_client_order_id VARCHAR(36);
