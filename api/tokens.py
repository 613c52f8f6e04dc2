"""API tokens for scripts: each user creates (or replaces) and revokes their own.

The key is shown once, in the response that creates it. Replacing a token
from a request authenticated by a token needs the account's password (a
stolen token must not be able to lock its owner out); from a logged-in
browser session (with its CSRF token) it does not.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.accounts.services import password_confirm
from annotator.core.errors import ApplicationError


class TokenStatusSerializer(serializers.Serializer):
    exists = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)


class TokenCreatedSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Send as 'Authorization: Token <key>'. Shown only now.")
    created = serializers.DateTimeField()


class TokenCreateInput(serializers.Serializer):
    password = serializers.CharField(
        required=False,
        trim_whitespace=False,
        write_only=True,
        help_text="Your password: needed when this request is authenticated by a token.",
    )


class TokenView(APIView):
    @extend_schema(responses={200: TokenStatusSerializer}, summary="Whether you have an API token")
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        return Response({"exists": token is not None, "created": token.created if token else None})

    @extend_schema(
        request=TokenCreateInput,
        responses={201: TokenCreatedSerializer},
        summary="Create (or replace) your token (with a token: send your password)",
    )
    def post(self, request):
        if isinstance(request.auth, Token):
            serializer = TokenCreateInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            password = serializer.validated_data.get("password", "")
            if not password:
                raise ApplicationError.field(
                    "password",
                    "Replacing a token from a script needs your password; or replace it from a logged-in browser.",
                )
            password_confirm(request=request._request, user=request.user, password=password)
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response({"key": token.key, "created": token.created}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None}, summary="Revoke your token")
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
