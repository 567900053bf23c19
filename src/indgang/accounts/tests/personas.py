"""Named staff personas for access tests: one user per staff group, plus a citizen without access."""

from django.contrib.auth import get_user_model

from indgang.accounts.services import staff_groups_sync


class StaffPersonasMixin:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        groups = staff_groups_sync()
        User = get_user_model()

        def staff(username: str, group: str):
            user = User.objects.create_user(username, password="password-for-tests", is_staff=True)
            user.groups.add(groups[group])
            return user

        cls.administrator = staff("administrator", "Administrator")
        cls.clerk = staff("clerk", "Borgerservicemedarbejder")
        cls.specialist = staff("specialist", "Fagmedarbejder")
        cls.manager = staff("manager", "Leder")
        cls.citizen = User.objects.create_user("citizen", password="password-for-tests")
