from django.contrib.auth.models import Permission
from django.urls import reverse

from wangge.accounts.models import User


def superuser(world) -> User:
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return admin


def test_superuser_sees_persons_masked_only(client, world):
    client.force_login(superuser(world))
    zhang = world.persons["zhang_san"]

    listing = client.get(reverse("admin:people_person_changelist")).content.decode()
    page = client.get(reverse("admin:people_person_change", args=[zhang.pk])).content.decode()

    assert zhang.id_number_masked in listing
    for html in (listing, page):
        assert zhang.id_number not in html
        assert zhang.phone not in html
        assert zhang.id_number_sealed not in html
        assert zhang.id_number_hash not in html


def test_persons_and_households_are_read_only_in_the_admin(client, world):
    client.force_login(superuser(world))

    assert client.get(reverse("admin:people_person_add")).status_code == 403
    assert client.get(reverse("admin:regions_household_add")).status_code == 403
    assert client.get(reverse("admin:accounts_roleassignment_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200


def test_staff_flag_and_permissions_are_not_enough(client, world):
    alice = world.users["alice"]
    alice.is_staff = True
    alice.save()
    alice.user_permissions.set(Permission.objects.all())
    client.force_login(alice)

    assert client.get(reverse("admin:people_person_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_token_digests_are_not_shown(client, world):
    from wangge.accounts.tokens import api_token_create

    token, _raw = api_token_create(by=world.users["admin"], name="x", user=world.users["gavin"])
    client.force_login(superuser(world))

    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()

    assert token.prefix in page
    assert token.digest not in page
