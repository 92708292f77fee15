"""Pages of the phone bank: the coordinator opens blocks; shoppers book them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from app.accounts.permissions import gate_required, shopper_required, staff_required
from app.assignments import blocks, bp
from app.assignments.access import get_block, get_wave
from app.assignments.forms import BookingForm, PhoneBlockForm, on_programme_clock
from app.errors_domain import DomainError
from app.extensions import db
from app.programmes.models import WaveStatus


@bp.get("/coordinator/phone-bank")
@staff_required
def coordinator_phone_bank():
    """The navigation's "Phone bank": the blocks of the programme's first running wave."""
    programme = current_user.programme
    if programme is None:
        abort(404, "You are working in no programme yet: choose one under Programmes.")
    running = [w for w in programme.waves if w.status in (WaveStatus.planned, WaveStatus.open)]
    if not running:
        flash("No wave is planned or open: phone-bank blocks belong to a wave.", "info")
        return redirect(url_for("assignments.waves"))
    return redirect(url_for("assignments.coordinator_blocks", wave_id=running[0].id))


@bp.route("/coordinator/waves/<id:wave_id>/blocks", methods=["GET", "POST"])
@staff_required
def coordinator_blocks(wave_id):
    wave = get_wave(wave_id)
    form = on_programme_clock(PhoneBlockForm(), wave.programme)
    if form.validate_on_submit():
        try:
            blocks.create_block(wave, form.starts_at.utc, form.seats.data, current_user)
        except DomainError as error:
            db.session.rollback()
            form.starts_at.errors = [*form.starts_at.errors, error.message]
        else:
            db.session.commit()
            flash("The block is open for booking.", "success")
            return redirect(url_for("assignments.coordinator_blocks", wave_id=wave.id))
    status = 422 if form.errors else 200
    return render_template(
        "assignments/blocks.html",
        wave=wave,
        form=form,
        blocks=blocks.blocks_of(wave),
        capacity=blocks.call_capacity,
    ), status


@bp.get("/phone-bank")
@shopper_required
@gate_required
def phone_bank():
    return render_template(
        "assignments/phone_bank.html",
        blocks=blocks.open_blocks(current_user),
        booking_of=blocks.booking_of,
        form=BookingForm(),
        calls_per_seat=blocks.calls_per_seat,
    )


def _change_booking(block_id, change, done):
    block = get_block(block_id)
    if not BookingForm().validate_on_submit():
        abort(400)
    try:
        moved = change(block, current_user)
    except DomainError as error:
        db.session.rollback()
        abort(409, error.message)
    db.session.commit()
    flash(done.format(n=len(moved)), "success")
    return redirect(url_for("assignments.phone_bank"))


@bp.post("/phone-bank/<id:block_id>/book")
@shopper_required
@gate_required
def book(block_id):
    return _change_booking(
        block_id,
        blocks.book,
        "You are booked. {n} of your telephone assignments moved into "
        "this block; new telephone work can be offered to you in it.",
    )


@bp.post("/phone-bank/<id:block_id>/cancel")
@shopper_required
@gate_required
def cancel(block_id):
    return _change_booking(
        block_id,
        blocks.cancel_booking,
        "Your booking is cancelled. {n} telephone assignments have the rest of the wave again.",
    )
