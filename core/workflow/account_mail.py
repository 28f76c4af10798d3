"""The e-mails of citizens' accounts, Ukrainian first and English second in one message
(the address's owner may read either)."""

from __future__ import annotations

from core.config import Settings


def _link(settings: Settings, path: str) -> str:
    return settings.public_url.rstrip("/") + path


def _both(uk: str, en: str, lang: str) -> str:
    first, second = (en, uk) if lang == "en" else (uk, en)
    return f"{first}\n\n———\n\n{second}\n"


def confirm_mail(settings: Settings, lang: str, code: str) -> tuple[str, str]:
    link = _link(settings, f"/cabinet/confirm?code={code}")
    uk = (
        "Вітаємо!\n\nЩоб відкрити особистий кабінет, перейдіть за посиланням "
        f"(воно діє 48 годин):\n{link}\n\n"
        "Якщо ви не реєструвалися, нічого не робіть: без переходу кабінет не буде створено."
    )
    en = (
        "Hello,\n\nTo open your personal account, follow this link (valid for 48 hours):\n"
        f"{link}\n\nIf you did not register, do nothing: no account is made without it."
    )
    return "Підтвердьте реєстрацію / Confirm your registration", _both(uk, en, lang)


def known_address_mail(settings: Settings, lang: str) -> tuple[str, str]:
    link = _link(settings, "/password-reset")
    uk = (
        "Вітаємо!\n\nХтось (можливо, ви) хотів зареєструвати кабінет на цю адресу, але "
        "кабінет із нею вже є. Якщо ви забули пароль, відновіть його тут:\n"
        f"{link}\n\nЯкщо це були не ви, нічого не робіть."
    )
    en = (
        "Hello,\n\nSomeone (perhaps you) tried to register with this address, but it "
        f"already has an account. If you forgot the password, reset it here:\n{link}\n\n"
        "If it was not you, do nothing."
    )
    return "Кабінет уже існує / You already have an account", _both(uk, en, lang)


def reset_mail(settings: Settings, lang: str, code: str, username: str) -> tuple[str, str]:
    link = _link(settings, f"/password-reset/new?code={code}")
    uk = (
        f"Вітаємо!\n\nЩоб задати новий пароль для кабінету «{username}», перейдіть за "
        f"посиланням (воно діє 1 годину):\n{link}\n\n"
        "Якщо ви не просили змінити пароль, нічого не робіть: старий пароль діє."
    )
    en = (
        f"Hello,\n\nTo set a new password for the account “{username}”, follow this link "
        f"(valid for 1 hour):\n{link}\n\n"
        "If you did not ask for it, do nothing: your password stays as it is."
    )
    return "Новий пароль / A new password", _both(uk, en, lang)
