-- The #chatsafe prompt its author was shown when a delivered message was sent (the category, e.g.
-- suicidal_ideation), or NULL: what the anonymised figures count as "prompts by category". A held
-- message's prompt is counted from held_messages.category. Nullable without a default, so adding
-- it rewrites nothing.
ALTER TABLE messages ADD COLUMN prompt text CHECK (prompt IS NULL OR length(prompt) BETWEEN 1 AND 40);
