"""The shopper app's storage on the phone, in a real Chromium: persistent storage is asked for and the answer shown,
a full quota is reported and loses nothing already saved, a photo is made small on the phone before it is kept,
and a finished item is read-only, commendation included, until the server has it."""

import base64
import io
import json
import random
import string

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, assert_accessible
from tests.shopper_app.browser_kit import (
    VISIT,
    answer_all,
    capture,
    go_offline,
    go_online,
    items_on_phone,
    last_submission_id,
    open_app,
    open_brief,
    submissions_since,
    unsent,
    wait_until,
)

GRANTED = "(persistent storage granted)"
REFUSED = "the browser did not grant persistent storage"
STORAGE_FULL = "Not saved: The phone's storage for this app is full"
NEARLY_FULL = "The phone's storage for this app is nearly full"
MAX_PHOTO_BYTES, MAX_PHOTO_SIDE = 400_000, 1600  # photo.js
COMMENDATION = "The receptionist walked me to the right desk."

# The browser's answer, chosen by the test: nothing is persisted yet, and persist() resolves with `answer`.
PERSISTENCE_STUB = """
window.__storageCalls = [];
StorageManager.prototype.persisted = async function () { window.__storageCalls.push("persisted"); return false; };
StorageManager.prototype.persist = async function () { window.__storageCalls.push("persist"); return %s; };
"""


def _booted(page) -> None:
    """Wait until main.js has finished booting (askPersistence and the first view come before this mark)."""
    page.locator('body[data-ready="true"]').wait_for(state="attached")


# --- persistent storage ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granted", "shown"), [(True, GRANTED), (False, REFUSED)], ids=["granted", "refused"]
)
def test_persistent_storage_is_requested_and_the_answer_shown(context, page, base_url, granted, shown):
    context.add_init_script(PERSISTENCE_STUB % ("true" if granted else "false"))
    open_app(page, base_url, "shopper1@demo.test")
    assert page.evaluate("window.__storageCalls") == ["persisted", "persist"]

    page.get_by_role("link", name="Account").click()
    expect(page.locator("#storage-state")).to_contain_text(shown)
    expect(page.locator("#storage-state")).not_to_contain_text(REFUSED if granted else GRANTED)
    assert_accessible(page, "the account screen")


def test_the_account_screen_agrees_with_the_browser_about_persistent_storage(page, base_url):
    open_app(page, base_url, "shopper2@demo.test")
    granted = page.evaluate("navigator.storage.persisted()")  # whatever this Chromium decides, unstubbed

    page.get_by_role("link", name="Account").click()
    expect(page.locator("#storage-state")).to_contain_text(GRANTED if granted else REFUSED)


# --- a full phone ---------------------------------------------------------------------------------------------


def _incompressible_text(size: int) -> str:
    # Random letters: Chromium compresses what IndexedDB stores, so repeated text would need next to no space.
    return "".join(random.choices(string.ascii_letters + string.digits, k=size))


def test_a_full_storage_is_reported_and_what_was_saved_is_kept(context, page, base_url):
    devtools = context.new_cdp_session(page)
    quota = {"origin": base_url}
    # A real quota, enforced by the browser. Set before the app first opens its database: Chromium's IndexedDB
    # trusts the free space it last saw for up to 30 s (BucketContext::kBucketSpaceCacheTimeLimit), so a quota
    # lowered on a database opened under the default one would not be felt until then.
    devtools.send("Storage.overrideQuotaForOrigin", {**quota, "quotaSize": 1_000_000})
    open_app(page, base_url, "shopper1@demo.test")
    open_brief(page, "In person")
    page.get_by_role("button", name="Start the visit").click()
    answer_all(page, {"arrival_time": VISIT["arrival_time"]})
    wait_until(
        lambda: [d["answers"] for d in items_on_phone(page)] == [{"arrival_time": "10:05"}],
        message="the first answer to be saved",
        page=page,
    )

    usage = devtools.send("Storage.getUsageAndQuota", quota)["usage"]
    devtools.send("Storage.overrideQuotaForOrigin", {**quota, "quotaSize": usage + 10_000})
    # Larger than the whole quota the origin ever had, so no allowance Chromium kept from earlier can cover it.
    page.get_by_label("Notes for the coordinator").fill(_incompressible_text(1_200_000))
    expect(page.get_by_role("alert").filter(has_text=STORAGE_FULL)).to_be_visible(timeout=TIMEOUT_MS)

    devtools.send("Storage.overrideQuotaForOrigin", quota)  # no quotaSize: the browser's own quota again
    page.reload()  # still at #/item/<uuid>: the draft as the phone kept it
    expect(page.locator('.question[data-key="arrival_time"] input')).to_have_value(
        "10:05", timeout=TIMEOUT_MS
    )
    expect(page.get_by_label("Notes for the coordinator")).to_have_value(
        ""
    )  # the failed write left nothing half-kept
    assert [d["answers"] for d in items_on_phone(page)] == [{"arrival_time": "10:05"}]


def test_nearly_full_storage_is_warned_of_on_start_and_stays_said(context, page, base_url):
    open_app(page, base_url, "shopper1@demo.test")
    nearly_full = page.get_by_role("alert").filter(has_text=NEARLY_FULL)
    page.reload()  # a start with the session kept and plenty of room: no warning
    _booted(page)
    expect(nearly_full).to_have_count(0)

    # The figures stand in for the browser's: Chromium 156 reports estimate().quota as usage + 10 GiB whatever the
    # real quota (Storage.overrideQuotaForOrigin included), so its own figures never pass 90 %.
    context.add_init_script("StorageManager.prototype.estimate = async () => ({usage: 95e6, quota: 100e6});")
    page.reload()
    _booted(page)
    expect(nearly_full).to_be_visible()
    assert_accessible(page, "my briefs with the nearly-full warning")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in").wait_for()
    expect(nearly_full).to_be_visible()  # the phone handed on, signed out: still said


# --- photos ---------------------------------------------------------------------------------------------------


def _large_photo(path, sigma: float) -> None:
    """3000×2000 gradients under noise, which PNG cannot squeeze: over 4 MB. Faint noise (2) JPEG drops, so only the
    limit on the long side makes the picture smaller; strong noise (64) keeps it over 400 KB at 1600 px too."""
    gradient = Image.linear_gradient("L").resize((3000, 2000))
    other_way = gradient.transpose(Image.Transpose.ROTATE_180)
    noise = Image.effect_noise(gradient.size, sigma)  # centred on 128
    blue = Image.blend(gradient, other_way, 0.5)
    Image.merge("RGB", [ImageChops.add(c, noise, offset=-128) for c in (gradient, other_way, blue)]).save(
        path
    )


@pytest.mark.parametrize("noise", [2, 64], ids=["long-side-limit", "byte-limit"])
def test_a_large_photo_is_made_small_on_the_phone(page, live_server, base_url, tmp_path, restore_demo, noise):
    original = tmp_path / "entrance.png"
    _large_photo(original, noise)
    assert (
        original.stat().st_size > 1_000_000
    )  # too big to send as it is: the server takes 1,000,000 bytes at most
    before = last_submission_id(live_server.db_path)
    open_app(page, base_url, "shopper1@demo.test")

    def attach(page):
        page.locator('.question[data-key="entrance_photo"] input[type=file]').set_input_files(str(original))
        expect(page.get_by_text("Photo attached")).to_be_visible(timeout=TIMEOUT_MS)

    capture(page, "In person", "Start the visit", VISIT, before_finish=attach)
    wait_until(
        lambda: submissions_since(live_server.db_path, before), message="the visit on the server", page=page
    )

    [visit] = submissions_since(live_server.db_path, before)
    [photo] = json.loads(visit["evidence"])
    assert json.loads(visit["answers"])["entrance_photo"] == photo["id"]
    assert photo["content_type"] == "image/jpeg"
    sent = base64.b64decode(photo["data"])
    assert len(sent) <= MAX_PHOTO_BYTES
    with Image.open(io.BytesIO(sent)) as picture:
        assert picture.format == "JPEG"
        assert max(picture.size) <= MAX_PHOTO_SIDE
        assert abs(picture.width / picture.height - 1.5) < 0.01  # the same picture, only smaller


# --- a finished item ------------------------------------------------------------------------------------------


def _shown(spec) -> str:
    """An answer as the read-only view writes it: as the shopper chose it (labels, minutes and seconds)."""
    (how, *args), value = spec
    if value is None:
        return "Not applicable"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if how == "label":
        return args[0]
    if how == "labels":
        return ", ".join(args[0])
    if how == "duration":
        return f"{args[0]} min {args[1]} s" if args[0] else f"{args[1]} s"
    return str(value)


def test_a_finished_item_is_read_only_and_keeps_its_commendation(
    context, page, live_server, base_url, restore_demo
):
    before = last_submission_id(live_server.db_path)
    open_app(page, base_url, "shopper1@demo.test")
    go_offline(context)  # the finished visit waits in the outbox
    capture(
        page,
        "In person",
        "Start the visit",
        VISIT,
        before_finish=lambda p: p.get_by_label("Commendation (optional)").fill(COMMENDATION),
    )
    expect(page.locator("#unsent-count")).to_have_text("1")

    page.get_by_role("link", name="Outbox").click()
    page.locator('.outbox a[href^="#/item/"]').click()
    main = page.locator("#main")
    expect(main.get_by_text("Finished: read-only")).to_be_visible()  # not yet confirmed by the server
    expect(main.locator("input, textarea, select")).to_have_count(0)
    expect(main.get_by_role("button", name="Finish and send")).to_have_count(0)
    expect(main.locator("dl.answers dt").first).to_have_text("What time did you arrive?")
    expect(main.locator("dl.answers dd")).to_have_text([_shown(spec) for spec in VISIT.values()])
    expect(main.get_by_text(f"Commendation: {COMMENDATION}")).to_be_visible()
    assert_accessible(page, "a finished item, read-only")

    go_online(context)  # the app sends on `online`
    wait_until(lambda: unsent(page) == 0, message="the visit to be sent", page=page)
    [visit] = submissions_since(live_server.db_path, before)
    assert visit["commendation"] == COMMENDATION
