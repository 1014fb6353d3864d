-- The #chatsafe prompts authors were shown with delivered messages, by category (e.g.
-- suicidal_ideation): what the anonymised figures count as "prompts by category". Kept apart from
-- messages so that the hot batch insert carries nothing extra (prompts are rare; a column there
-- doubled the batch statement's time in the benchmark). A held message's prompt is counted from
-- held_messages.category.
CREATE TABLE chatsafe_prompts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id     bigint NOT NULL REFERENCES rooms (id),
    author_id   bigint NOT NULL REFERENCES users (id),
    category    text NOT NULL CHECK (length(category) BETWEEN 1 AND 40),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX chatsafe_prompts_room ON chatsafe_prompts (room_id, created_at);
