"""The four roles as groups, with the model permissions the rule in `editorial.roles` gives them.

Accounts that existed before roles keep what they could do: superusers become admins, other staff editors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("contributor", "editor", "investigator", "admin")


def make_roles(apps, schema_editor):
    from lestweforget.editorial.roles import grant_role_permissions

    # On a fresh database the permissions are made only after all migrations; make them now so the groups get theirs.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps)
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    admin, editor = Group.objects.get(name="admin"), Group.objects.get(name="editor")
    for user in User.objects.filter(is_superuser=True):
        user.groups.add(admin)
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        user.groups.add(editor)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("atlas", "0005_photo_models_move_to_photos"),
        ("photos", "0001_initial"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
