-- Why #chatsafe put an item in the queue, for the moderator: each finding's rule id, or the
-- model's category, calibrated score and the words that weighed most ("model imminent_risk 0.93:
-- pillen, gespaard, alles"); uncertain findings start with "? ". Kept with the item; it holds
-- words of the message, so it is blanked with the message by retention and erasure.
ALTER TABLE mod_items ADD COLUMN why text[] NOT NULL DEFAULT '{}';
