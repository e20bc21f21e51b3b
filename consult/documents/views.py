"""Studies and documents: the public list, downloads, and the Secretariat's uploads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.accounts.roles import secretariat_required
from consult.documents import bp
from consult.documents.access import can_view_document, matching, visible_documents
from consult.documents.forms import CaseStudyForm, DocumentFields, UploadForm, VersionForm
from consult.documents.models import (
    CaseStatus,
    CaseStudy,
    Document,
    DocumentVersion,
    Study,
    Visibility,
)
from consult.documents.uploads import (
    UploadRejected,
    limit_text,
    max_upload_bytes,
    remove_file,
    store_upload,
    stored_path,
    too_large_message,
)
from consult.documents.versions import replace_file
from consult.errors import render_error
from consult.extensions import db, login_manager
from consult.forms import ButtonForm, parse_id, render_form, select_choices
from consult.i18n import country_name
from consult.i18n.countries import sort_key
from consult.public.models import ViaProfile

UPLOAD_ENDPOINTS = {"documents.upload_document", "documents.new_version"}
#: Bodies up to this many times the limit are read to the end before the 413 answer.
DRAIN_FACTOR = 4


@bp.context_processor
def _template_helpers() -> dict:
    return {"upload_limit": limit_text}


@bp.get("/studies")
def studies():
    """The background paper, the case-study project by country, and every readable document."""
    all_studies = list(
        db.session.scalars(
            select(Study)
            .order_by(Study.position, Study.id)
            .options(
                selectinload(Study.documents),
                selectinload(Study.case_studies).selectinload(CaseStudy.documents),
            )
        )
    )
    query = request.args.get("q", "", type=str)[:200]
    candidates = db.session.scalars(
        matching(visible_documents(current_user), query).options(selectinload(Document.profile))
    )
    documents = [d for d in candidates if can_view_document(current_user, d)]
    cases = {
        study.id: sorted(study.case_studies, key=lambda case: sort_key(country_name(case.country)))
        for study in all_studies
    }
    return render_template(
        "documents/studies.html",
        studies=all_studies,
        cases=cases,
        documents=documents,
        readable={d.id for d in documents},
        query=query.strip(),
    )


def _readable(document_id: int) -> Document:
    """The document, if the reader may have it: else sign in (members only) or 404."""
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    if not can_view_document(current_user, document):
        if document.visibility is Visibility.MEMBERS and not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    return document


@bp.get("/documents/<int:document_id>/download")
def download(document_id: int):
    """The file, as an attachment with its cleaned name and its checked type."""
    document = _readable(document_id)
    return _send(document, document)


@bp.get("/documents/<int:document_id>/versions/<int:number>/download")
def download_version(document_id: int, number: int):
    """An earlier version of the file, under the same access rule as the document."""
    document = _readable(document_id)
    version = next((v for v in document.versions if v.number == number), None)
    if version is None:
        abort(404)
    return _send(document, version)


def _send(document: Document, file: Document | DocumentVersion):
    try:
        path = stored_path(file.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.display_name,
        max_age=0,
    )
    response.headers["Content-Type"] = file.content_type
    private = document.visibility is Visibility.MEMBERS
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _attach_choices() -> list:
    """Every profile, study and case-study country a document can belong to."""
    pairs: list[tuple[str, object]] = [("", _("Nothing in particular"))]
    for study in db.session.scalars(select(Study).order_by(Study.position)):
        pairs.append((f"study:{study.id}", _("Study: %(title)s", title=study.title)))
        for case in study.case_studies:
            label = _("Case study: %(country)s", country=country_name(case.country))
            pairs.append((f"case:{case.id}", label))
    for profile in db.session.scalars(select(ViaProfile).order_by(ViaProfile.name)):
        pairs.append((f"profile:{profile.id}", _("Profile: %(name)s", name=profile.name)))
    return select_choices(pairs)


def _attach(document: Document, value: str | None) -> None:
    document.profile_id = document.study_id = document.case_study_id = None
    kind, _sep, text = (value or "").partition(":")
    ident = parse_id(text)
    if ident is None:
        return
    target = {"profile": ViaProfile, "study": Study, "case": CaseStudy}.get(kind)
    if target is None or db.session.get(target, ident) is None:
        return
    if kind == "profile":
        document.profile_id = ident
    elif kind == "study":
        document.study_id = ident
    else:
        document.case_study_id = ident


def _attached_value(document: Document) -> str:
    if document.profile_id:
        return f"profile:{document.profile_id}"
    if document.study_id:
        return f"study:{document.study_id}"
    if document.case_study_id:
        return f"case:{document.case_study_id}"
    return ""


def _fill_fields(form: DocumentFields, document: Document) -> None:
    document.title = form.title.data.strip()
    document.symbol = form.symbol.data or ""
    document.kind = form.kind.data
    document.description = form.description.data or ""
    document.translations = form.translations.form.collected()
    document.visibility = Visibility(form.visibility.data)
    _attach(document, form.attach_to.data)


@bp.route("/manage/documents/new", methods=["GET", "POST"])
@secretariat_required
def upload_document():
    """Upload a document: type and size checked, stored under a random name."""
    form = UploadForm(data={"attach_to": request.args.get("attach_to", "")})
    form.attach_to.choices = _attach_choices()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            stored = store_upload(upload.stream, upload.filename)
        except UploadRejected as error:
            form.file.errors = [str(error)]
        else:
            document = Document(
                stored_name=stored.stored_name,
                display_name=stored.display_name,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by_id=current_user.id,
            )
            _fill_fields(form, document)
            db.session.add(document)
            db.session.commit()
            flash(_("The document is uploaded."), "success")
            return redirect(url_for("documents.studies", _anchor=f"document-{document.id}"))
    return render_form("documents/upload.html", form, document=None)


def _drain_body() -> None:
    """Read and drop an unread request body of moderate size.

    A server cannot reuse a connection whose request body was left unread, and a
    browser then shows a reset connection instead of our message. Bodies far
    over the limit are not drained: those connections are simply closed.
    """
    stream = request.environ.get("wsgi.input")
    remaining = request.content_length or 0
    if stream is None or remaining > DRAIN_FACTOR * (max_upload_bytes() or 0):
        return
    while remaining > 0:
        chunk = stream.read(min(64 * 1024, remaining))
        if not chunk:
            break
        remaining -= len(chunk)


@bp.errorhandler(413)
def handle_too_large(error):
    """A too-large upload gets the form back with the limit in words; other pages the 413 page."""
    if request.endpoint not in UPLOAD_ENDPOINTS:
        return render_error(413)
    _drain_body()
    if request.endpoint == "documents.new_version":
        document = db.get_or_404(Document, request.view_args["document_id"])
        version_form = VersionForm(formdata=None)
        version_form.file.errors = [too_large_message()]
        page = render_template("documents/new_version.html", form=version_form, document=document)
        return page, 413
    form = UploadForm(formdata=None)
    form.attach_to.choices = _attach_choices()
    form.file.errors = [too_large_message()]
    return render_template("documents/upload.html", form=form, document=None), 413


@bp.route("/manage/documents/<int:document_id>/edit", methods=["GET", "POST"])
@secretariat_required
def edit_document(document_id: int):
    """Change a document's title, kind, visibility or what it belongs to."""
    document = db.get_or_404(Document, document_id)
    form = DocumentFields(
        obj=document,
        data={"visibility": document.visibility.value, "attach_to": _attached_value(document)},
    )
    form.attach_to.choices = _attach_choices()
    if form.validate_on_submit():
        _fill_fields(form, document)
        db.session.commit()
        flash(_("The document is updated."), "success")
        return redirect(url_for("documents.studies", _anchor=f"document-{document.id}"))
    return render_form("documents/upload.html", form, document=document, delete_form=ButtonForm())


@bp.route("/manage/documents/<int:document_id>/versions/new", methods=["GET", "POST"])
@secretariat_required
def new_version(document_id: int):
    """Upload a new file for a document; the one it replaces stays listed as an earlier version."""
    document = db.get_or_404(Document, document_id)
    form = VersionForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            stored = store_upload(upload.stream, upload.filename)
        except UploadRejected as error:
            form.file.errors = [str(error)]
        else:
            replace_file(document, stored, current_user.id)
            db.session.commit()
            flash(_("The new version is uploaded; the earlier one stays listed."), "success")
            return redirect(url_for("documents.studies", _anchor=f"document-{document.id}"))
    return render_form("documents/new_version.html", form, document=document)


@bp.post("/manage/documents/<int:document_id>/delete")
@secretariat_required
def delete_document(document_id: int):
    """Remove a document and its file."""
    document = db.get_or_404(Document, document_id)
    if ButtonForm().validate_on_submit():
        stored_names = [document.stored_name, *(v.stored_name for v in document.versions)]
        db.session.delete(document)
        db.session.commit()
        for stored_name in stored_names:
            remove_file(stored_name)
        flash(_("The document is deleted."), "success")
    return redirect(url_for("documents.studies"))


@bp.route("/manage/case-studies/<int:case_id>", methods=["GET", "POST"])
@secretariat_required
def edit_case_study(case_id: int):
    """Record the progress of one country's case study."""
    case = db.get_or_404(CaseStudy, case_id)
    form = CaseStudyForm(obj=case, data={"status": case.status.value})
    if form.validate_on_submit():
        case.status = CaseStatus(form.status.data)
        case.note = form.note.data or ""
        db.session.commit()
        flash(_("The case study is updated."), "success")
        return redirect(url_for("documents.studies", _anchor=f"case-{case.id}"))
    return render_form("documents/case_study.html", form, case=case)
