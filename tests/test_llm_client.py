"""The model client against a real HTTP server speaking the OpenAI API (tests/fake_openai.py).

No test sleeps for backoff: the client gets ``sleep=sleeps.append`` and ``rng=lambda: 0.5``
(so jitter multiplies by exactly 1).
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import json
import multiprocessing
import socket
import threading
import time
from pathlib import Path

import pytest

from fake_openai import ScriptedServer, contains
from lessonreel.errors import InputError, LessonError
from lessonreel.llm import (
    ModelClient,
    ModelError,
    ResponseCache,
    RoleSettings,
    append_jsonl,
    client_from_config,
    load_prompt,
    parse_json,
    prompt_hashes,
    safe_url,
)

SECRET = "sk-test-SECRET"
ROLES = {
    "planner": RoleSettings(model="plan-model", temperature=0.3, max_tokens=4000),
    "critic": RoleSettings(model="vision-model", temperature=0.0, max_tokens=500),
}
OUTLINE = {
    "slug": "pythagoras",
    "title": "Pythagoras",
    "audience": "teens",
    "language": "en",
    "engine": "llm",
    "sections": [{"id": "01", "title": "Right triangles", "lines": ["a^2 + b^2 = c^2"]}],
}
BAD_OUTLINE = {**OUTLINE, "sections": [{"id": "1", "title": "Right triangles", "lines": ["x"]}]}
ASK = [{"role": "system", "content": "You plan lessons. Answer in JSON."},
       {"role": "user", "content": "Plan a lesson on Pythagoras."}]
# A 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(server, tmp_path, sleeps):
    def make(roles=ROLES, **options) -> ModelClient:
        options.setdefault("base_url", server.base_url)
        options.setdefault("cache_dir", tmp_path / "cache")
        options.setdefault("ledger", tmp_path / "ledger.jsonl")
        return ModelClient(roles, sleep=sleeps.append, rng=lambda: 0.5, **options)

    return make


def ledger_lines(tmp_path: Path) -> list[dict]:
    path = tmp_path / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def assert_secret_nowhere(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            assert SECRET not in path.read_text(errors="replace"), f"API key leaked into {path}"


# -- plain calls ---------------------------------------------------------------


def test_plain_completion_records_usage_and_ledger(server, make_client, tmp_path):
    server.push("Hello, learners!")
    response = make_client().complete("planner", ASK, step="pythagoras/outline")

    assert response.text == "Hello, learners!"
    assert response.data is None
    assert (response.cached, response.attempts, response.model) == (False, 1, "plan-model")
    prompt_chars = sum(len(m["content"]) for m in ASK)
    assert response.prompt_tokens == prompt_chars // 4
    assert response.completion_tokens == len("Hello, learners!") // 4

    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == f"Bearer {SECRET}"  # the key is sent to the server...
    body = request["body"]
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("plan-model", 0.3, 4000)
    assert "response_format" not in body

    (line,) = ledger_lines(tmp_path)
    assert line["role"] == "planner" and line["model"] == "plan-model"
    assert line["step"] == "pythagoras/outline"
    assert (line["prompt_tokens"], line["completion_tokens"]) == (response.prompt_tokens, response.completion_tokens)
    assert (line["outcome"], line["attempts"], line["json_retries"]) == ("ok", 1, 0)
    assert line["cache_key"] == response.cache_key and len(line["cache_key"]) == 64
    assert {"time", "latency"} <= line.keys()
    assert "messages" not in line  # prompts live in the cache, not the ledger
    assert_secret_nowhere(tmp_path)  # ...and to nowhere else


def test_env_base_url_and_placeholder_key(server, tmp_path, monkeypatch, sleeps):
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.delenv("OPENAI_API_KEY")
    server.push("hi")
    client = ModelClient(ROLES, sleep=sleeps.append)
    assert client.complete("planner", ASK).text == "hi"
    assert server.requests[0]["headers"]["authorization"] == "Bearer not-needed"


def test_unknown_role_names_the_configured_ones(make_client):
    with pytest.raises(ModelError, match="'coder'.*critic, planner"):
        make_client().complete("coder", ASK)


# -- JSON answers --------------------------------------------------------------


def test_invalid_json_then_valid(server, make_client, tmp_path):
    server.push("Sure! Here is the plan: {oops", "```json\n" + json.dumps(OUTLINE) + "\n```")
    response = make_client().complete("planner", ASK, schema="outline")

    assert response.data == OUTLINE
    assert response.attempts == 2 and server.count == 2
    first, second = server.bodies
    assert first["response_format"] == {"type": "json_object"}
    assert second["response_format"] == {"type": "json_object"}
    assert second["messages"][:2] == ASK
    assert second["messages"][2] == {"role": "assistant", "content": "Sure! Here is the plan: {oops"}
    reask = second["messages"][3]["content"]
    assert reask.startswith("Your answer was not valid: it is not JSON")
    assert reask.endswith("Answer again with JSON only.")
    # Tokens of both requests are summed.
    assert response.prompt_tokens > len("".join(m["content"] for m in ASK)) // 4
    (line,) = ledger_lines(tmp_path)
    assert (line["outcome"], line["json_retries"], line["attempts"]) == ("ok", 1, 2)
    assert line["prompt_tokens"] == response.prompt_tokens


def test_schema_failure_quotes_field_then_gives_up(server, make_client, tmp_path):
    server.push(*[json.dumps(BAD_OUTLINE)] * 3)
    with pytest.raises(ModelError) as caught:
        make_client(max_json_retries=2).complete("planner", ASK, schema="outline")

    assert server.count == 3  # the first ask + 2 re-asks
    reask = server.bodies[1]["messages"][-1]["content"]
    assert "sections[0].id" in reask and "^[0-9]{2,}$" in reask
    message = str(caught.value)
    assert "'planner'" in message and "plan-model" in message and "sections[0].id" in message
    assert caught.value.role == "planner" and caught.value.model == "plan-model"
    (line,) = ledger_lines(tmp_path)
    assert (line["outcome"], line["json_retries"], line["attempts"]) == ("error: InputError", 2, 3)
    assert not list(tmp_path.glob("cache/**/*.json"))  # only validated answers are cached


def test_schema_failure_then_fixed(server, make_client):
    server.push(json.dumps(BAD_OUTLINE), json.dumps(OUTLINE))
    assert make_client().complete("planner", ASK, schema="outline").data == OUTLINE


def test_server_without_json_mode_gets_plain_requests(server, make_client):
    server.push({"status": 400, "body": {"error": {"message": "response_format is not supported"}}},
                json.dumps(OUTLINE), json.dumps(OUTLINE))
    client = make_client(cache_dir=None)
    assert client.complete("planner", ASK, schema="outline").data == OUTLINE
    assert client.complete("planner", ASK, schema="outline").data == OUTLINE
    assert [("response_format" in b) for b in server.bodies] == [True, False, False]


@pytest.mark.parametrize("text", [
    json.dumps(OUTLINE),
    "```json\n" + json.dumps(OUTLINE, indent=2) + "\n```",
    "```\n" + json.dumps(OUTLINE) + "```",
    "Here you go:\n" + json.dumps(OUTLINE) + "\nHope this helps.",
])
def test_parse_json_tolerates_fences_and_prose(text):
    assert parse_json(text) == OUTLINE


# -- retries -------------------------------------------------------------------


def test_429_then_500_then_success(server, make_client, sleeps, tmp_path):
    server.push({"status": 429, "headers": {"Retry-After": "2"}}, {"status": 500}, "done")
    response = make_client().complete("planner", ASK)

    assert response.text == "done" and response.attempts == 3 and server.count == 3
    assert sleeps[0] >= 2  # Retry-After beats the 1 s backoff
    assert sleeps[1] == pytest.approx(2.0)  # backoff * 2**1, jitter factor 1
    (line,) = ledger_lines(tmp_path)
    assert (line["outcome"], line["attempts"]) == ("ok", 3)
    assert line["waited"] == pytest.approx(sum(sleeps))


def test_retry_after_http_date_and_cap(server, make_client, sleeps):
    soon = email.utils.formatdate(time.time() + 10, usegmt=True)
    server.push({"status": 503, "headers": {"Retry-After": soon}},
                {"status": 429, "headers": {"Retry-After": "100000"}}, "ok")
    make_client(max_backoff=5).complete("planner", ASK)
    assert 8 <= sleeps[0] <= 10
    assert sleeps[1] == 20  # capped at max_backoff * 4


def test_backoff_grows_and_gives_up(server, make_client, sleeps, tmp_path):
    server.push(*[{"status": 502}] * 4)
    with pytest.raises(ModelError, match="gave up after 4 attempts.*HTTP 502") as caught:
        make_client(max_retries=3, backoff=1.0, max_backoff=3.0).complete("planner", ASK)
    assert caught.value.status == 502
    assert sleeps == [1.0, 2.0, 3.0]
    assert ledger_lines(tmp_path)[0]["outcome"] == "error: InternalServerError"


def test_400_fails_at_once(server, make_client, sleeps, tmp_path):
    server.push({"status": 400, "body": {"error": {"message": "model 'plan-model' does not exist"}}})
    with pytest.raises(ModelError, match=r"'planner'.*HTTP 400: model 'plan-model' does not exist"):
        make_client().complete("planner", ASK)
    assert server.count == 1 and sleeps == []
    assert ledger_lines(tmp_path)[0]["outcome"] == "error: BadRequestError"


def test_error_message_never_contains_the_key(server, make_client, tmp_path):
    # Some servers echo the key they rejected.
    server.push({"status": 401, "body": {"error": {"message": f"Incorrect API key provided: {SECRET}"}}})
    with pytest.raises(ModelError) as caught:
        make_client().complete("planner", ASK)
    assert SECRET not in str(caught.value) and "***" in str(caught.value)
    assert SECRET not in repr(make_client())
    assert_secret_nowhere(tmp_path)


def test_connection_errors_are_retried(make_client, sleeps, tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(base_url=f"http://127.0.0.1:{port}/v1", max_retries=2)
    with pytest.raises(ModelError, match="gave up after 3 attempts"):
        client.complete("planner", ASK)
    assert len(sleeps) == 2
    assert ledger_lines(tmp_path)[0]["outcome"] == "error: APIConnectionError"


def test_timeouts_are_retried(server, make_client):
    server.push({"content": "too late", "delay": 1.0}, "in time")
    roles = {"planner": RoleSettings(model="m", timeout=0.3)}
    response = make_client(roles=roles).complete("planner", ASK)
    assert response.text == "in time" and response.attempts == 2


# -- cache ---------------------------------------------------------------------


def test_cache_hit_makes_no_request(server, make_client, tmp_path):
    server.add_rule(lambda request: True, json.dumps(OUTLINE))
    client = make_client()
    first = client.complete("planner", ASK, schema="outline", template_hash="abc")
    second = client.complete("planner", ASK, schema="outline", template_hash="abc")

    assert server.count == 1
    assert second.cached and not first.cached
    assert (second.attempts, second.latency) == (0, 0.0)
    assert second.data == first.data == OUTLINE
    assert (second.prompt_tokens, second.completion_tokens) == (first.prompt_tokens, first.completion_tokens)
    assert [line["outcome"] for line in ledger_lines(tmp_path)] == ["ok", "cached"]

    # A fresh client (another Snakemake job) sees the same cache.
    assert make_client().complete("planner", ASK, schema="outline", template_hash="abc").cached

    # The record keeps the request for reading the run's history afterwards.
    record = ResponseCache(tmp_path / "cache").get(first.cache_key)
    assert record["request"]["messages"] == ASK
    assert record["request"]["template_hash"] == "abc"
    assert record["response"]["data"] == OUTLINE
    assert_secret_nowhere(tmp_path)


def test_cache_misses_when_anything_changes(server, make_client):
    server.add_rule(lambda request: True, "answer")
    client = make_client()
    client.complete("planner", ASK, template_hash="v1")
    assert server.count == 1
    client.complete("planner", ASK, template_hash="v2")
    assert server.count == 2
    client.complete("planner", ASK[:1] + [{"role": "user", "content": "Plan a lesson on circles."}],
                    template_hash="v1")
    assert server.count == 3
    warmer = {"planner": RoleSettings(model="plan-model", temperature=0.9, max_tokens=4000)}
    make_client(roles=warmer).complete("planner", ASK, template_hash="v1")
    assert server.count == 4
    client.complete("planner", ASK, template_hash="v1", schema=None)
    assert server.count == 4  # unchanged request: still cached


def test_corrupt_cache_entry_is_a_miss(server, make_client, tmp_path):
    server.add_rule(lambda request: True, "answer")
    client = make_client()
    key = client.complete("planner", ASK).cache_key
    ResponseCache(tmp_path / "cache").path(key).write_text('{"key": "half-writ')
    again = client.complete("planner", ASK)
    assert not again.cached and server.count == 2
    assert client.complete("planner", ASK).cached  # and the entry was rewritten


def test_failed_answers_are_not_cached(server, make_client, tmp_path):
    server.push("not json", "still not json", "nope")
    with pytest.raises(ModelError):
        make_client().complete("planner", ASK, schema="outline")
    assert not list(tmp_path.glob("cache/**/*.json"))


# -- concurrency ---------------------------------------------------------------


def test_threads_share_cache_and_ledger(server, make_client, tmp_path):
    server.add_rule(contains("topic"), lambda request: "x" * 5000 + request["messages"][-1]["content"])
    client = make_client()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(6):
                topic = "shared" if i % 2 else f"own-{n}-{i}"
                response = client.complete("planner", [{"role": "user", "content": f"topic {topic}"}], step=str(n))
                assert response.text.endswith(f"topic {topic}")
        except BaseException as exc:  # surfaced below; a thread can't fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors

    lines = ledger_lines(tmp_path)  # json.loads of every line must succeed
    assert len(lines) == 48
    assert {line["outcome"] for line in lines} <= {"ok", "cached"}
    files = list((tmp_path / "cache").rglob("*"))
    assert not [f for f in files if f.name.endswith(".tmp")]
    entries = [f for f in files if f.suffix == ".json"]
    assert len(entries) == 8 * 3 + 1
    for entry in entries:
        assert json.loads(entry.read_text())["response"]["text"].startswith("xxx")


def _hammer(directory: str, n: int) -> None:
    cache = ResponseCache(Path(directory) / "cache")
    big = "y" * 20000  # well over PIPE_BUF: only the lock keeps such lines whole
    for i in range(40):
        append_jsonl(Path(directory) / "ledger.jsonl", {"writer": n, "i": i, "pad": big})
        cache.put("ab" * 32, {"writer": n, "i": i, "pad": big})
        cache.put(hashlib.sha256(f"{n}-{i}".encode()).hexdigest(), {"writer": n})


def test_processes_append_whole_lines(tmp_path):
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_hammer, args=(str(tmp_path), n)) for n in range(6)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    lines = (tmp_path / "ledger.jsonl").read_text().splitlines()
    assert len(lines) == 240
    assert all(json.loads(line)["pad"] == "y" * 20000 for line in lines)
    cache = ResponseCache(tmp_path / "cache")
    assert cache.get("ab" * 32)["pad"] == "y" * 20000
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 241
    assert not list((tmp_path / "cache").rglob("*.tmp"))


# -- images --------------------------------------------------------------------


def test_images_become_data_url_parts(server, make_client, tmp_path):
    server.add_rule(lambda request: True, '{"ok": true}')
    client = make_client()
    messages = [{"role": "system", "content": "You judge frames."}, {"role": "user", "content": "Is it readable?"}]
    response = client.complete("critic", messages, images=[PNG], step="frame")

    body = server.bodies[0]
    assert body["messages"][0] == messages[0]
    text, image = body["messages"][1]["content"]
    assert text == {"type": "text", "text": "Is it readable?"}
    url = image["image_url"]["url"]
    assert image["type"] == "image_url" and url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == PNG
    assert messages[1]["content"] == "Is it readable?"  # the caller's list is untouched

    # The cache stores a hash of the image, not the image; another image is another key.
    stored = (tmp_path / "cache").rglob(f"{response.cache_key}.json").__next__().read_text()
    assert "base64" not in stored and "sha256:" in stored
    assert client.complete("critic", messages, images=[PNG]).cached
    other = PNG[:-1] + b"\x00"
    assert not client.complete("critic", messages, images=[other]).cached


# -- configuration -------------------------------------------------------------


def test_client_from_config(server, tmp_path, monkeypatch):
    monkeypatch.setenv("MY_LLM_KEY", "sk-other-key")
    config = {
        "base_url": server.base_url,
        "api_key_env": "MY_LLM_KEY",
        "model": "default-model",
        "roles": {"planner": {"model": "gpt-4o-mini", "temperature": 0.3, "max_tokens": 4000}},
        "max_retries": 1,
    }
    client = client_from_config(config, cache_dir=tmp_path / "c", ledger=tmp_path / "l.jsonl")
    assert client.roles["planner"] == RoleSettings("gpt-4o-mini", 0.3, 4000)
    assert client.roles["coder"].model == "default-model"
    assert client.max_retries == 1
    server.push("hi")
    client.complete("planner", ASK)
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-other-key"

    monkeypatch.delenv("MY_LLM_KEY")  # unset: the placeholder, never OPENAI_API_KEY
    server.push("hi")
    client_from_config(config, cache_dir=None, ledger=None).complete("planner", ASK)
    assert server.requests[1]["headers"]["authorization"] == "Bearer not-needed"

    with pytest.raises(InputError, match="llm.api_key"):
        client_from_config({**config, "api_key": "sk-in-the-file"}, cache_dir=None, ledger=None)
    with pytest.raises(InputError, match="llm.roles.judge.model"):
        client_from_config({"roles": {"judge": {"temperature": 0}}}, cache_dir=None, ledger=None)
    with pytest.raises(InputError, match="llm.roles.judge.temprature"):
        client_from_config({"roles": {"judge": {"model": "m", "temprature": 0}}}, cache_dir=None, ledger=None)


def test_safe_url_strips_credentials():
    assert safe_url("https://user:pa55@llm.example.com:8443/v1?api-key=zzz") == "https://llm.example.com:8443/v1"
    assert safe_url(None) == ""


# -- prompt templates ----------------------------------------------------------


def test_prompt_templates(tmp_path):
    raw = "You are a {{ role }} for {{audience}}.\n---- user ----\nTopic: {{topic}}\nData: {{data}}\n"
    (tmp_path / "outline.md").write_text(raw)
    prompt = load_prompt("outline", tmp_path)
    assert prompt.name == "outline"
    assert prompt.sha256 == hashlib.sha256(raw.encode()).hexdigest()
    assert prompt.variables == {"role", "audience", "topic", "data"}
    messages = prompt.render(role="planner", audience="teens", topic="{{audience}}", data={"a": 1}, extra="fine")
    assert messages == [
        {"role": "system", "content": "You are a planner for teens."},
        {"role": "user", "content": 'Topic: {{audience}}\nData: {\n  "a": 1\n}'},
    ]
    with pytest.raises(LessonError, match=r"'outline'.*topic"):
        prompt.render(role="r", audience="a", data="d")
    assert prompt_hashes(["outline"], tmp_path) == {"outline": prompt.sha256}


def test_prompt_template_errors(tmp_path):
    (tmp_path / "nosplit.md").write_text("just one part {{x}}\n")
    with pytest.raises(LessonError, match="nosplit.*---- user ----"):
        load_prompt("nosplit", tmp_path)
    with pytest.raises(LessonError, match="not found"):
        load_prompt("missing", tmp_path)
    with pytest.raises(LessonError, match="plain file name"):
        load_prompt("../secrets", tmp_path)
