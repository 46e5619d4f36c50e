-- The lists of information a body must publish as open data (seed 003 §2.2–2.4), kept as data
-- the regional coordinator loads and edits. Only the lists themselves are shipped, as the seed
-- names them: their items' official texts could not be verified, so none is invented.
CREATE TABLE obligation_lists (
    id IDENTITY_KEY,
    code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    act TEXT NOT NULL,
    -- How many items the region's plan counts in the list (seed 003), when it says.
    planned_items BIGINT,
    -- How often a dataset covering an item must be updated, as a deadline phrase.
    period TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE obligation_items (
    id IDENTITY_KEY,
    list_id BIGINT NOT NULL REFERENCES obligation_lists(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    applies_to TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    UNIQUE (list_id, number)
);
-- How a body meets an item: the dataset that covers it, or (no dataset) why it does not apply.
CREATE TABLE obligation_links (
    item_id BIGINT NOT NULL REFERENCES obligation_items(id) ON DELETE CASCADE,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    dataset_id BIGINT REFERENCES datasets(id) ON DELETE SET NULL,
    reason TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, body_id)
);
INSERT INTO obligation_lists (code, title, act, planned_items, period, updated_at) VALUES
 ('1187-r',
  'Перечень общедоступной информации о деятельности органов государственной власти субъектов Российской Федерации, размещаемой в сети «Интернет» в форме открытых данных',
  'распоряжение Правительства Российской Федерации от 10.07.2013 № 1187-р',
  17, 'не реже одного раза в квартал (не позднее 25-го числа последнего месяца квартала)', 0),
 ('232-r',
  'Перечень сведений, подлежащих представлению с использованием координат',
  'распоряжение Правительства Российской Федерации от 09.02.2017 № 232-р (так в плане региона; реквизиты не подтверждены)',
  20, 'не реже одного раза в квартал (не позднее 25-го числа последнего месяца квартала)', 0),
 ('typical-2018',
  'Типовой перечень информации, размещаемой органами государственной власти субъектов Российской Федерации и органами местного самоуправления в сети «Интернет» в форме открытых данных',
  'протокол заочного голосования Правительственной комиссии по координации деятельности открытого правительства от 14.02.2018 № 1',
  NULL, 'не реже одного раза в квартал (не позднее 25-го числа последнего месяца квартала)', 0);
