"""The page flow: upload → dry-run preview → confirm, as HR."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from terugkeer.imports.models import ImportRun
from terugkeer.trajectories.models import Absence

# The page queues the file for the task worker; here the task runs at once (the worker itself:
# test_background.py).
pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, text, name="afwezigheden.csv"):
    return client.post(
        reverse("imports:index"),
        {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")},
    )


def test_it_is_for_hr_and_the_functioneel_beheerder(client, world):
    for user, status in (
        (world.alice, 403),
        (world.bob, 403),
        (world.hannah, 200),
        (world.bert, 200),
    ):
        client.force_login(user)
        assert client.get(reverse("imports:index")).status_code == status, user
    client.logout()
    assert client.get(reverse("imports:index")).status_code == 302


def test_the_nav_shows_importeren_to_hr(client, world):
    client.force_login(world.hannah)
    assert "Importeren" in client.get(reverse("home")).content.decode()
    client.force_login(world.alice)
    assert "Importeren" not in client.get(reverse("home")).content.decode()


def test_upload_preview_confirm(client, world):
    client.force_login(world.hannah)
    number = world.emp_a.personnel_number
    response = upload(
        client, f"Personeelsnummer;Eerste dag;Laatste dag\n{number};02/03/2026;06/03/2026\n"
    )
    assert response.status_code == 302
    preview = ImportRun.objects.get()
    assert preview.dry_run and preview.status == ImportRun.Status.PREVIEW and preview.upload
    page = client.get(response.url).content.decode()
    assert "Bevestigen en inlezen" in page and "02/03/2026–06/03/2026" in page
    assert not Absence.objects.exists()
    response = client.post(reverse("imports:confirm", args=[preview.pk]))
    run = ImportRun.objects.get(dry_run=False)
    assert response.url == reverse("imports:detail", args=[run.pk])
    assert run.status == ImportRun.Status.IMPORTED and run.new == 1
    assert Absence.objects.get().employee == world.emp_a
    preview.refresh_from_db()
    assert preview.confirmed_by == run and not preview.upload
    # Confirming twice does nothing.
    client.post(reverse("imports:confirm", args=[preview.pk]))
    assert ImportRun.objects.filter(dry_run=False).count() == 1


def test_bad_rows_are_shown_and_downloadable(client, world):
    client.force_login(world.hannah)
    number = world.emp_a.personnel_number
    response = upload(
        client,
        f'Personeelsnummer;Eerste dag\n{number};31/02/2026\n=HYPERLINK("x");02/03/2026\n',
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED and run.error_count == 2
    page = client.get(response.url).content.decode()
    assert "Deze datum bestaat niet." in page and "Bevestigen" not in page
    download = client.get(reverse("imports:errors_csv", args=[run.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rij", "Kolom", "Waarde", "Reden"]
    assert rows[1][:3] == ["2", "Eerste dag", "31/02/2026"]
    assert rows[2][2].startswith("'=")  # no formula in the download either
    assert client.post(reverse("imports:confirm", args=[run.pk])).status_code == 302
    assert not Absence.objects.exists()


def test_hr_sees_only_its_own_runs(client, world):
    client.force_login(world.hannah)
    upload(client, "Personeelsnummer;Eerste dag\n")
    run = ImportRun.objects.get()
    client.force_login(world.bert)  # functioneel beheerder of the organisation: sees it
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 200
    other_hr = world.hannah.__class__.objects.create(username="henk", organisation=world.vo)
    from tests.factories import grant

    grant(other_hr, "hr", world.vo, world.entity_b)
    client.force_login(other_hr)
    assert client.get(reverse("imports:detail", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:errors_csv", args=[run.pk])).status_code == 404


def test_the_page_shows_500_errors_and_the_csv_all(client, world):
    client.force_login(world.hannah)
    rows = "".join(f"X{i};02/03/2026\n" for i in range(600))
    response = upload(client, "Personeelsnummer;Eerste dag\n" + rows)
    run = ImportRun.objects.get()
    assert run.error_count == 600 and len(run.errors) == 600
    page = client.get(response.url).content.decode()
    assert page.count("Onbekend personeelsnummer") == 500
    download = client.get(reverse("imports:errors_csv", args=[run.pk])).content.decode()
    assert download.count("Onbekend personeelsnummer") == 600


def test_the_prevention_file_link_shows_only_to_who_may_open_it(client, world):
    # The administrator imports but may not see the 4-week list: no link that ends in a 403.
    link = reverse("imports:prevention")
    client.force_login(world.bert)
    assert link not in client.get(reverse("imports:index")).content.decode()
    assert client.get(link).status_code == 403
    client.force_login(world.hannah)
    assert link in client.get(reverse("imports:index")).content.decode()
    assert client.get(link).status_code == 200
