-- The number step's pick by index, whatever the size of the stock. It took the number reserved for
-- the registration or else the first available one of the store or of the shared stock in one
-- ordered scan, which sorted every available number of the store on each registration (17.8 ms at
-- 3,000 numbers on the benchmark machine). It now reads three index ranges in turn: the
-- registration's reservation, the store's available numbers in msisdn order, the operator's shared
-- available numbers in msisdn order (numbers.repository.ts, activateWithinCaps).
CREATE INDEX numbers_pick ON numbers (tenant_id, store_id, msisdn) WHERE state = 'available';
CREATE INDEX numbers_reserved_for ON numbers (reserved_for) WHERE reserved_for IS NOT NULL;
